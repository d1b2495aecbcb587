using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Features.Access;
using FusionBot.Features.Components;
using FusionBot.Features.Digest;
using FusionBot.Features.Help;
using FusionBot.Features.Intake;
using FusionBot.Features.Inventory;
using FusionBot.Features.Onboarding;
using FusionBot.Features.Portfolio;
using FusionBot.Features.Privacy;
using FusionBot.Features.Review;
using FusionBot.Features.Tracking;
using FusionBot.Protocol.Hosting;
using FusionBot.Storage;

namespace FusionBot.Features.Chat;

/// <summary>
/// The maker's 1:1 chat: commands first, then the intake dialog in progress, then the help card — never silence.
/// Card buttons arrive as messages whose value names what they belong to.
/// </summary>
public sealed class PersonalChat(
    IntakeHandler intake, SelfCertification selfCertification, RequestTracking tracking, DigestCommands digest,
    ComponentCommands components, GuidelinesGate guidelines,
    PortfolioAnswers portfolioAnswers, PortfolioCommands portfolio, AccessPolicy access, SolutionLinkCommands solutionLinks,
    InventoryCommands inventory, PrivacyCommands privacy)
{
    public async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var value = turn.Activity.Value as JsonObject;
        if (value?[SelfCertification.RequestKey] is not null)
        {
            await selfCertification.HandleAsync(turn, value, cancellationToken);
            return;
        }

        if (value?[ComponentForm.FormKey] is not null)
        {
            await components.OnFormAsync(turn, value, cancellationToken);
            return;
        }

        if (value?[ComponentCards.UseKey] is not null)
        {
            await components.OnUsingAsync(turn, value, cancellationToken);
            return;
        }

        if (value?[PortfolioReviewCard.RequestKey] is not null)
        {
            await portfolioAnswers.HandleAsync(turn, value, cancellationToken);
            return;
        }

        if (value?[PrivacyCommands.EraseKey] is not null)
        {
            await privacy.OnConfirmAsync(turn, value, cancellationToken);
            return;
        }

        if (value?[OwnerCard.RegisterKey] is JsonValue register && register.TryGetValue<string>(out var registerKey))
        {
            await inventory.RegisterAsync(turn, registerKey, cancellationToken);
            return;
        }

        if (value?[OwnerCard.LinkKey] is JsonValue link && link.TryGetValue<string>(out var linkKey))
        {
            await inventory.LinkAsync(turn, linkKey, Read(value, OwnerCard.RequestInputKey), cancellationToken);
            return;
        }

        var dialog = await intake.LoadAsync(turn, cancellationToken);
        if (value?[GuidelinesGate.AcknowledgeKey] is not null)
        {
            await OnGuidelinesAcknowledgedAsync(turn, dialog, cancellationToken);
            return;
        }

        if (value?[IntakeCards.StepKey] is not null)
        {
            await OnIntakeCardAsync(turn, dialog, value, cancellationToken);
            return;
        }

        if (turn.Activity.Value is not null && string.IsNullOrWhiteSpace(turn.Activity.Text))
        {
            await turn.SendTextAsync("I could not read what that card sent; it may come from an older version of me. Type **help** to see what I can do.", cancellationToken);
            if (dialog is not null)
            {
                await intake.RepeatAsync(turn, dialog, cancellationToken);
            }

            return;
        }

        var command = Command.Parse(turn.Activity.Text);
        switch (command.Name)
        {
            case CommandName.NewRequest:
                await intake.StartAsync(turn, dialog, command.Argument, cancellationToken);
                return;
            case CommandName.NewRequestForm:
                // A typed message cannot open a Teams dialog; a button can.
                await turn.SendCardAsync(IntakeForm.Offer(), "Open the request form", cancellationToken);
                break;
            case CommandName.Resubmit:
                await intake.ResubmitAsync(turn, dialog, command.Argument!, cancellationToken);
                return;
            case CommandName.Cancel:
                await intake.CancelAsync(turn, dialog, cancellationToken);
                return;
            case CommandName.MyRequests:
                await tracking.ListAsync(turn, cancellationToken);
                break;
            case CommandName.Status:
                await tracking.StatusAsync(turn, command.Argument!, cancellationToken);
                break;
            case CommandName.Withdraw:
                await tracking.WithdrawAsync(turn, command.Argument!, cancellationToken);
                break;
            case CommandName.Digest:
                await digest.HandleAsync(turn, command.Argument, cancellationToken);
                break;
            case CommandName.SubscribeDigest:
                await digest.SubscribeAsync(turn, cancellationToken);
                break;
            case CommandName.UnsubscribeDigest:
                await digest.UnsubscribeAsync(turn, cancellationToken);
                break;
            case CommandName.Components:
                await components.ListAsync(turn, command.Argument, cancellationToken);
                break;
            case CommandName.ComponentAdd:
                await components.ShowFormAsync(turn, cancellationToken);
                break;
            case CommandName.ComponentRetire:
                await components.RetireAsync(turn, command.Argument!, cancellationToken);
                break;
            case CommandName.Portfolio when string.Equals(command.Argument, "ungoverned", StringComparison.OrdinalIgnoreCase):
                await inventory.UngovernedAsync(turn, cancellationToken);
                break;
            case CommandName.Connectors:
                await inventory.ConnectorsAsync(turn, cancellationToken);
                break;
            case CommandName.PlatformSync:
                await inventory.SyncAsync(turn, cancellationToken);
                break;
            case CommandName.Portfolio:
                await portfolio.HandleAsync(turn, command.Argument, cancellationToken);
                break;
            case CommandName.Privacy:
                await privacy.HandleAsync(turn, command.Argument, cancellationToken);
                break;
            case CommandName.Link:
                await solutionLinks.LinkAsync(turn, command.Argument!, cancellationToken);
                break;
            case CommandName.Help:
                await SendHelpAsync(turn, cancellationToken);
                break;
            case CommandName.Greeting:
                await turn.SendCardAsync(HelpCard.Greeting(turn.Sender().Name), "Hi, I'm FusionBot", cancellationToken);
                break;
            case CommandName.None when dialog is not null:
                await intake.ContinueAsync(turn, dialog, new IntakeInput(turn.Activity.Text), cancellationToken);
                return;
            default:
                await turn.SendTextAsync("I didn't catch that. Here is what I can do:", cancellationToken);
                await SendHelpAsync(turn, cancellationToken);
                return;
        }

        // A command in the middle of a request answers, then shows where the request was left.
        if (dialog is not null)
        {
            await intake.RepeatAsync(turn, dialog, cancellationToken);
        }
    }

    private async Task SendHelpAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var isAdmin = await access.IsAdminAsync(turn.Sender(), turn.TenantId(), cancellationToken);
        var isReviewer = isAdmin || await access.IsReviewerAsync(turn.Sender(), turn.TenantId(), cancellationToken);
        await turn.SendCardAsync(HelpCard.Build(inChannel: false, isReviewer, isAdmin), "What FusionBot does", cancellationToken);
    }

    /// <summary>
    /// The maker pressed Confirm, was asked to read the guidelines, and now has: the confirmation they already gave
    /// goes on, so they are not asked twice.
    /// </summary>
    private async Task OnGuidelinesAcknowledgedAsync(TurnContext turn, StoredState<IntakeState>? dialog, CancellationToken cancellationToken)
    {
        await guidelines.AcknowledgeAsync(turn, cancellationToken);
        if (dialog?.Value.Step == IntakeState.SummaryStep)
        {
            await intake.ContinueAsync(turn, dialog, new IntakeInput(Text: null, CardStep: IntakeState.SummaryStep, CardCommand: "confirm"), cancellationToken);
            return;
        }

        await turn.SendTextAsync("Thank you: noted that you read the guidelines. Type **new request** when you are ready.", cancellationToken);
    }

    private async Task OnIntakeCardAsync(TurnContext turn, StoredState<IntakeState>? dialog, JsonObject value, CancellationToken cancellationToken)
    {
        if (dialog is null)
        {
            await turn.SendTextAsync("That card belongs to a request that was already submitted or cancelled. Type **new request** to start another.", cancellationToken);
            return;
        }

        var input = new IntakeInput(
            Text: null,
            CardStep: Read(value, IntakeCards.StepKey),
            CardAnswer: Read(value, IntakeCards.AnswerKey),
            CardCommand: Read(value, IntakeCards.CommandKey) is "answer" ? null : Read(value, IntakeCards.CommandKey));
        await intake.ContinueAsync(turn, dialog, input, cancellationToken);
    }

    private static string? Read(JsonObject value, string key) =>
        value[key] is JsonValue node && node.TryGetValue<string>(out var text) ? text : null;
}
