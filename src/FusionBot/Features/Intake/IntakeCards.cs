using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Features.Classification;
using FusionBot.Features.Components;
using FusionBot.Requests;
using FusionBot.Storage;
using static FusionBot.Cards.CardElements;
using TierResult = FusionBot.Features.Classification.Classification;

namespace FusionBot.Features.Intake;

/// <summary>The cards of the intake dialog. Every button posts its step back, so a stale card is recognised.</summary>
public sealed class IntakeCards(IntakeQuestions questions, ConnectorCatalogue catalogue)
{
    /// <summary>The cards of a dialog asking <paramref name="asked"/> (with the environment question, when it is asked).</summary>
    public IntakeCards For(IntakeQuestions asked) => ReferenceEquals(asked, questions) ? this : new IntakeCards(asked, catalogue);

    /// <summary>Keys of the value an intake card's buttons post.</summary>
    public const string StepKey = "intakeStep";
    public const string CommandKey = "intakeCommand";
    public const string AnswerKey = "answer";

    public JsonObject Question(AskQuestion ask)
    {
        var question = ask.Question;
        var number = questions.All.ToList().IndexOf(question) + 1;
        List<JsonNode> body = [TextBlock($"New request · question {number} of {questions.All.Count}", subtle: true)];
        AddProblem(body, ask.Problem);
        if (ask.Suggestion is { } suggestion)
        {
            body.Add(Container([TextBlock($"From your description: **{CardText.EscapeLine(question.Display(suggestion))}**. Keep it, or change it.")], ContainerStyle.Accent));
        }

        body.Add(TextBlock(question.Prompt, bold: true));
        var current = ask.Suggestion ?? question.Current(ask.State.Answers);
        var blocked = question.Key == IntakeQuestions.DataSources
            ? (ask.Connectors ?? catalogue).Connectors.Where(c => c.Status == ConnectorStatus.Blocked).ToList()
            : [];
        body.Add(Input(question, current, blocked.Select(c => c.Id).ToHashSet(StringComparer.OrdinalIgnoreCase)));
        if (question.Key == IntakeQuestions.EnvironmentKey && question.Hint is { } hint)
        {
            body.Add(TextBlock(hint, subtle: true));
        }
        if (blocked.Count > 0)
        {
            // Not offered as options at all, so nobody picks one only to be refused.
            body.Add(TextBlock("Blocked by policy, so not offered: " + string.Join("; ", blocked.Select(c =>
                c.Alternative is { } alternative ? $"{c.Name} (use {alternative})" : c.Name)) + ".", subtle: true));
        }
        body.Add(TextBlock(TypingHint(question), subtle: true));

        return AdaptiveCardJson.Create(body,
        [
            CardActions.Submit("Next", Data(question.Key, "answer"), style: ActionStyle.Positive),
            CardActions.Submit("Back", Data(question.Key, "back"), withInputs: false),
            CardActions.Command("Cancel", "cancel"),
        ]);
    }

    /// <summary>
    /// What a question card becomes once the dialog moved past it: one line, so the chat reads like a form filled
    /// in. <paramref name="next"/> is the step asked now; an earlier question means the maker went back.
    /// </summary>
    public JsonObject Closed(string step, IntakeState next)
    {
        var question = questions.Get(step);
        var title = question.Title;
        var nextIndex = questions.All.ToList().FindIndex(q => q.Key == next.Step);
        var line = next.Step == step
            ? $"{title}: asked again below"
            : nextIndex >= 0 && nextIndex < questions.All.ToList().IndexOf(question)
                ? $"↩ {title}: went back to the previous question"
                : $"✓ **{title}:** {CardText.EscapeLine(question.Display(question.Current(next.Answers)), 300)}";
        return AdaptiveCardJson.Create([TextBlock(line, subtle: !line.StartsWith('✓'))]);
    }

    /// <summary>What a question card becomes when the maker cancels the request.</summary>
    public JsonObject Cancelled(string step) =>
        AdaptiveCardJson.Create([TextBlock($"{questions.Get(step).Title}: request cancelled", subtle: true)]);

    /// <param name="suggestions">Catalogue components that match the request, at most three.</param>
    public JsonObject Summary(ShowSummary summary, IReadOnlyList<SuggestedComponent> suggestions)
    {
        var answers = summary.State.Answers;
        List<JsonNode> body = [Heading($"Your request: {CardText.EscapeLine(answers.SolutionName)}")];
        AddProblem(body, summary.Problem);
        body.Add(Tier(summary.Classification));
        body.Add(FactSet(questions.All.Select(q => (q.Title, Shown(q, answers)))));
        if (suggestions.Count > 0)
        {
            body.Add(ComponentCards.Suggestions(suggestions));
        }
        return AdaptiveCardJson.Create(body,
        [
            CardActions.Submit("Confirm", Data(IntakeState.SummaryStep, "confirm"), withInputs: false, ActionStyle.Positive),
            CardActions.Submit("Edit an answer", Data(IntakeState.SummaryStep, "edit"), withInputs: false),
            CardActions.Command("Cancel", "cancel"),
        ]);
    }

    public JsonObject ChooseAnswerToEdit(ChooseAnswerToEdit choose)
    {
        List<JsonNode> body = [Heading("Which answer do you want to change?")];
        AddProblem(body, choose.Problem);
        var answers = choose.State.Answers;
        body.Add(CardInputs.ChoiceSet(AnswerKey, "Answer",
            questions.All.Select((q, i) => new Choice($"{i + 1}. {q.Title}: {q.Display(q.Current(answers))}", q.Key)),
            ChoiceStyle.Expanded));
        body.Add(TextBlock("Or type its number.", subtle: true));
        return AdaptiveCardJson.Create(body,
        [
            CardActions.Submit("Change it", Data(IntakeState.ChooseEditStep, "answer"), style: ActionStyle.Positive),
            CardActions.Submit("Back to the summary", Data(IntakeState.ChooseEditStep, "back"), withInputs: false),
        ]);
    }

    /// <summary>The tier with its reasons, shared by the summary and the submitted card.</summary>
    public static JsonObject Tier(TierResult classification) => Container(
    [
        TextBlock($"Tier {classification.Tier}: {TierPolicy.Describe(classification.Tier)}", TextSize.Large, bold: true),
        .. classification.Reasons.Select(r => TextBlock($"• {CardText.EscapeLine(r)}")),
    ], ContainerStyle.Emphasis);

    private static JsonObject Data(string step, string command) => new() { [StepKey] = step, [CommandKey] = command };

    private static void AddProblem(List<JsonNode> body, string? problem)
    {
        if (problem is not null)
        {
            body.Add(Container([TextBlock(CardText.Escape(problem))], ContainerStyle.Attention));
        }
    }

    /// <summary>The question itself is the bold line above the input, so the input's label only says what to do.</summary>
    /// <param name="blocked">Choices left out; the others keep their numbers, since typed numbers count every choice.</param>
    private static JsonObject Input(IntakeQuestion question, string? current, HashSet<string> blocked) => question.Kind switch
    {
        QuestionKind.SingleChoice or QuestionKind.MultiChoice => CardInputs.ChoiceSet(AnswerKey,
            question.Kind == QuestionKind.MultiChoice ? "Pick all that apply" : "Pick one",
            question.Choices.Select((c, i) => (Choice: new Choice($"{i + 1}. {c.Title}", c.Value), c.Value))
                .Where(c => !blocked.Contains(c.Value)).Select(c => c.Choice),
            ChoiceStyle.Expanded, multiSelect: question.Kind == QuestionKind.MultiChoice,
            values: current?.Split(',')),
        _ => CardInputs.Text(AnswerKey, "Your answer", current, question.Hint,
            multiline: question.MaxLength > 200, maxLength: question.MaxLength),
    };

    private static string TypingHint(IntakeQuestion question) => question.Kind switch
    {
        QuestionKind.SingleChoice => "You can also type the option or its number.",
        QuestionKind.MultiChoice => "You can also type the options or their numbers, separated by commas.",
        _ => "You can also just type your answer.",
    } + " Type back for the previous question, cancel to stop.";

    private static string Shown(IntakeQuestion question, IntakeAnswers answers) =>
        CardText.Escape(question.Display(question.Current(answers)), 300);
}
