using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Classification;
using FusionBot.Features.Components;
using FusionBot.Features.Intake.Prefill;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Hosting;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Intake;

/// <summary>
/// Runs the intake dialog for a 1:1 conversation: loads and stores its state (ETag-guarded, so a second instance
/// or a double click cannot fork it), turns each outcome into a card, and hands a confirmed request on.
/// </summary>
public sealed partial class IntakeHandler(
    IDialogStateStore states,
    IntakeDialog intakeDialog,
    IntakeCards intakeCards,
    RequestSubmission submission,
    Resubmission resubmission,
    IRequestStore requests,
    ComponentSuggestions suggestions,
    ComponentOpenLinks openLinks,
    ILogger<IntakeHandler> logger,
    IIntakePrefiller? prefiller = null,
    IEnvironmentConnectors? environments = null)
{
    private const string SkipWord = "skip";

    /// <summary>
    /// The dialog and its cards for the turn's tenant: with the Power Platform connected, they ask which environment
    /// the solution will live in and judge connectors by its data policies; otherwise the configured catalogue alone.
    /// </summary>
    public async Task<(IntakeDialog Dialog, IntakeCards Cards)> ForTenantAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var dialog = environments is null ? intakeDialog : intakeDialog.For(await environments.ForTenantAsync(turn.TenantId(), cancellationToken));
        return (dialog, intakeCards.For(dialog.Questions));
    }

    public Task<StoredState<IntakeState>?> LoadAsync(TurnContext turn, CancellationToken cancellationToken) =>
        states.GetAsync<IntakeState>(StateKey(turn), cancellationToken);

    /// <summary>Starts a new request, replacing any dialog in progress. With a model configured, asks for a description first.</summary>
    public async Task StartAsync(TurnContext turn, StoredState<IntakeState>? current, string? description, CancellationToken cancellationToken)
    {
        if (prefiller is not null && string.IsNullOrWhiteSpace(description))
        {
            var describe = new IntakeState { Step = IntakeState.DescribeStep };
            if (await SaveAsync(turn, describe, current?.ETag, cancellationToken) is not null)
            {
                await turn.SendCardAsync(DescribeCard(), "Describe what you want to build", cancellationToken);
            }

            return;
        }

        var outcome = await StartFromDescriptionAsync(turn, description, cancellationToken);
        await ApplyAsync(turn, outcome, current?.ETag, cancellationToken);
    }

    /// <summary>
    /// Starts a request for a solution found in the tenant, its answers suggested from the facts (each still confirmed by
    /// the maker), replacing any dialog in progress; the request is linked to the solution when submitted.
    /// </summary>
    public async Task StartForSolutionAsync(TurnContext turn, StoredState<IntakeState>? current, IntakeAnswers suggested, SolutionLink link, CancellationToken cancellationToken)
    {
        var (dialog, _) = await ForTenantAsync(turn, cancellationToken);
        var outcome = dialog.Start(suggested);
        await ApplyAsync(turn, outcome with { State = outcome.State with { LinkTo = link } }, current?.ETag, cancellationToken);
    }

    /// <summary><c>resubmit FR-…</c>: re-opens the maker's request at the summary when changes were requested; otherwise says why not.</summary>
    public async Task ResubmitAsync(TurnContext turn, StoredState<IntakeState>? current, string requestId, CancellationToken cancellationToken)
    {
        if (await resubmission.FindAsync(turn, requestId, cancellationToken) is { } request)
        {
            var (dialog, _) = await ForTenantAsync(turn, cancellationToken);
            await ApplyAsync(turn, dialog.Start(resubmitOf: request.Id, previous: request.Answers), current?.ETag, cancellationToken);
        }
    }

    /// <summary>
    /// The intake form was accepted: its summary replaces any dialog in progress (a question card on screen is closed),
    /// and is confirmed or edited in the chat like the summary after the last typed answer.
    /// </summary>
    public async Task ShowSummaryAsync(TurnContext turn, ShowSummary summary, CancellationToken cancellationToken)
    {
        var current = await LoadAsync(turn, cancellationToken);
        var state = summary.State with { ShownCard = current?.Value.ShownCard };
        await ApplyAsync(turn, summary with { State = state }, current?.ETag, cancellationToken);
    }

    public async Task ContinueAsync(TurnContext turn, StoredState<IntakeState> current, IntakeInput input, CancellationToken cancellationToken)
    {
        if (current.Value.Step == IntakeState.DescribeStep)
        {
            var text = input.CardAnswer ?? input.Text ?? "";
            var outcome = text.Trim().Equals(SkipWord, StringComparison.OrdinalIgnoreCase) || input.CardCommand == SkipWord
                ? await StartFromDescriptionAsync(turn, null, cancellationToken)
                : await StartFromDescriptionAsync(turn, text, cancellationToken);
            await ApplyAsync(turn, outcome, current.ETag, cancellationToken);
            return;
        }

        var (dialog, _) = await ForTenantAsync(turn, cancellationToken);
        if (turn.Activity.Id is { } activityId && current.Value.LastActivityId == activityId)
        {
            // Teams retried a turn whose reply failed after the dialog moved on: say the step again, do not answer it.
            await Render(turn, dialog.Repeat(current.Value, problem: null), current.ETag, cancellationToken);
            return;
        }

        await ApplyAsync(turn, dialog.Handle(current.Value, input), current.ETag, cancellationToken);
    }

    /// <summary>Shows the current step again, e.g. after the maker asked for help in the middle of the dialog.</summary>
    public async Task RepeatAsync(TurnContext turn, StoredState<IntakeState> current, CancellationToken cancellationToken)
    {
        if (current.Value.Step == IntakeState.DescribeStep)
        {
            await turn.SendCardAsync(DescribeCard(), "Describe what you want to build", cancellationToken);
            return;
        }

        var (dialog, _) = await ForTenantAsync(turn, cancellationToken);
        await Render(turn, dialog.Repeat(current.Value, "Your request is still open; here is where we are."), current.ETag, cancellationToken);
    }

    public async Task CancelAsync(TurnContext turn, StoredState<IntakeState>? current, CancellationToken cancellationToken)
    {
        if (current is null)
        {
            await turn.SendTextAsync("There is no request in progress to cancel. Type **new request** to start one.", cancellationToken);
            return;
        }

        await states.DeleteAsync(StateKey(turn), cancellationToken: cancellationToken);
        if (current.Value.ShownCard is { } shown)
        {
            var (_, cards) = await ForTenantAsync(turn, cancellationToken);
            await ReplaceCardAsync(turn, shown.ActivityId, cards.Cancelled(shown.Step), cancellationToken);
        }
        await turn.SendTextAsync("Cancelled: nothing was submitted. Type **new request** whenever you are ready.", cancellationToken);
    }

    private async Task<IntakeOutcome> StartFromDescriptionAsync(TurnContext turn, string? description, CancellationToken cancellationToken)
    {
        var (dialog, _) = await ForTenantAsync(turn, cancellationToken);
        if (string.IsNullOrWhiteSpace(description))
        {
            return dialog.Start();
        }

        // The maker's words are the suggested purpose and are kept on the request; a model only suggests the other answers.
        var own = CardText.Truncate(description.Trim(), 1000);
        var suggested = (prefiller is null ? null : await prefiller.SuggestAsync(description, cancellationToken)) ?? new IntakeAnswers();
        return dialog.Start(suggested with { Purpose = own }, description: own);
    }

    private async Task ApplyAsync(TurnContext turn, IntakeOutcome outcome, string? etag, CancellationToken cancellationToken)
    {
        if (outcome is IntakeConfirmed confirmed)
        {
            var state = confirmed.State;
            if (state.ResubmitOf is null && state.SubmittedAs is null)
            {
                // The new request's id goes into the dialog first: confirming again (a retried turn, a second click)
                // finds the request this confirmation made instead of making another.
                state = state with { SubmittedAs = await requests.NewIdAsync(cancellationToken) };
                // The claim keeps the step's own activity: a redelivered confirm must still be taken as a confirm.
                etag = await SaveAsync(turn, state, etag, state.LastActivityId, cancellationToken);
                if (etag is null)
                {
                    return;
                }
            }

            // The request is stored before the dialog is removed: a crash in between leaves the summary to confirm again,
            // never a lost request. A request held back (guidelines not yet confirmed) keeps its summary.
            if (await submission.SubmitAsync(turn, state, confirmed.Classification, cancellationToken))
            {
                await states.DeleteAsync(StateKey(turn), etag, cancellationToken);
            }

            return;
        }

        if (await SaveAsync(turn, outcome.State, etag, cancellationToken) is { } saved)
        {
            await Render(turn, outcome, saved, cancellationToken);
        }
    }

    /// <summary>Stores the step with the activity that reached it (by default this turn's); null when another turn changed the dialog first (the maker is told).</summary>
    private Task<string?> SaveAsync(TurnContext turn, IntakeState state, string? etag, CancellationToken cancellationToken) =>
        SaveAsync(turn, state, etag, turn.Activity.Id, cancellationToken);

    private async Task<string?> SaveAsync(TurnContext turn, IntakeState state, string? etag, string? activityId, CancellationToken cancellationToken)
    {
        try
        {
            return await states.SaveAsync(StateKey(turn), state with { LastActivityId = activityId }, etag, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            LogConflict(logger, turn.Activity.Id);
            await turn.SendTextAsync("I was still working on your previous message, so I did not take this one. Please send it again.", cancellationToken);
            return null;
        }
    }

    /// <summary>
    /// Sends the outcome's card. The question card left on screen becomes one line, and a new question card is
    /// remembered (<see cref="IntakeState.ShownCard"/>) so the next turn can do the same to it.
    /// </summary>
    private async Task Render(TurnContext turn, IntakeOutcome outcome, string? etag, CancellationToken cancellationToken)
    {
        var (_, cards) = await ForTenantAsync(turn, cancellationToken);
        if (outcome.State.ShownCard is { } shown)
        {
            await ReplaceCardAsync(turn, shown.ActivityId, cards.Closed(shown.Step, outcome.State), cancellationToken);
        }

        ShownQuestionCard? nowShown = null;
        switch (outcome)
        {
            case AskQuestion ask:
                var sent = await turn.SendCardAsync(cards.Question(ask), ask.Question.Prompt, cancellationToken);
                nowShown = sent.Id is { Length: > 0 } id ? new ShownQuestionCard(id, ask.Question.Key) : null;
                break;
            case ShowSummary summary:
                var sender = turn.Sender();
                var matching = openLinks.For(turn.TenantId(), sender.AadObjectId ?? sender.Id,
                    await suggestions.SuggestAsync(turn.TenantId(), summary.State.Answers, summary.Classification.Tier, cancellationToken));
                await turn.SendCardAsync(cards.Summary(summary, matching), $"Summary: Tier {summary.Classification.Tier}", cancellationToken);
                break;
            case ChooseAnswerToEdit choose:
                await turn.SendCardAsync(cards.ChooseAnswerToEdit(choose), "Which answer do you want to change?", cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"No card for {outcome.GetType().Name}.");
        }

        if (nowShown != outcome.State.ShownCard)
        {
            try
            {
                await states.SaveAsync(StateKey(turn), outcome.State with { ShownCard = nowShown, LastActivityId = turn.Activity.Id }, etag, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                // A later turn moved the dialog on already; the card just stays as sent.
            }
        }
    }

    /// <summary>Best effort: a card that cannot be updated (deleted, or the client refused) stays as it was.</summary>
    private async Task ReplaceCardAsync(TurnContext turn, string activityId, System.Text.Json.Nodes.JsonObject card, CancellationToken cancellationToken)
    {
        try
        {
            await turn.Connector.UpdateActivityAsync(turn.Activity.ServiceUrl!, turn.Activity.Conversation!.Id!, activityId, new Activity
            {
                Type = ActivityTypes.Message,
                Conversation = turn.Activity.Conversation,
                From = turn.Activity.Recipient,
                Recipient = turn.Activity.From,
                Attachments = [card.ToAttachment()],
            }, cancellationToken);
        }
        catch (ConnectorException exception)
        {
            LogCardNotUpdated(logger, exception.StatusCode);
        }
    }

    private static System.Text.Json.Nodes.JsonObject DescribeCard() => AdaptiveCardJson.Create(
    [
        Heading("New request"),
        TextBlock("Describe what you want to build in a sentence or two: who uses it, which data it reads. I will pre-fill the questions for you to confirm."),
        CardInputs.Text(IntakeCards.AnswerKey, "Your description", placeholder: "An app for the whole finance team that reads SAP", multiline: true, maxLength: 1000),
        TextBlock("Or type **skip** to answer the questions one by one.", subtle: true),
    ],
    [
        CardActions.Submit("Continue", new() { [IntakeCards.StepKey] = IntakeState.DescribeStep }, style: ActionStyle.Positive),
        CardActions.Submit("Skip", new() { [IntakeCards.StepKey] = IntakeState.DescribeStep, [IntakeCards.CommandKey] = SkipWord }, withInputs: false),
        CardActions.Command("Cancel", "cancel"),
    ]);

    /// <summary>The dialog lives in its conversation, within the tenant: a conversation id from elsewhere never finds it.</summary>
    private static string StateKey(TurnContext turn) => turn.TenantId() + "|" + (turn.Activity.Conversation?.Id
        ?? throw new InvalidOperationException("A message without a conversation id cannot carry a dialog."));

    [LoggerMessage(Level = LogLevel.Information, Message = "An answered intake card could not be updated ({StatusCode}); it stays as sent")]
    private static partial void LogCardNotUpdated(ILogger logger, System.Net.HttpStatusCode statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake state changed under activity {ActivityId}; asked the maker to resend")]
    private static partial void LogConflict(ILogger logger, string? activityId);
}
