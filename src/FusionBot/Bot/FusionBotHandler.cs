using System.Text.Json.Nodes;
using FusionBot.Features.Channels;
using FusionBot.Features.Chat;
using FusionBot.Features.Intake;
using FusionBot.Features.Onboarding;
using FusionBot.Features.Pipelines;
using FusionBot.Features.Review;
using FusionBot.Protocol.Hosting;
using FusionBot.Protocol.Models;
using FusionBot.Storage;

namespace FusionBot.Bot;

/// <summary>
/// Every accepted activity starts here: a message already handled is dropped, the sender's conversation is remembered
/// for proactive messages, and the activity goes to the feature that owns it. An activity counts as handled only once
/// its turn succeeded: a turn that throws answers 500, Teams delivers it again, and that delivery finishes the work
/// (the features find what the failed turn stored: the dialog step it reached, the request it created).
/// </summary>
public sealed partial class FusionBotHandler(
    PersonalChat personalChat,
    ChannelCommands channelCommands,
    ReviewActions reviewActions,
    PromotionActions promotionActions,
    WelcomeCards welcome,
    IntakeFormDialog intakeForm,
    IProcessedActivityStore processedActivities,
    IConversationReferenceStore conversationReferences,
    TimeProvider time,
    ILogger<FusionBotHandler> logger) : IBot
{
    private const string TaskFetch = "task/fetch";
    private const string TaskSubmit = "task/submit";

    public async Task<InvokeResponse?> OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        switch (activity.Type)
        {
            case ActivityTypes.Message:
                if (await WasHandledAsync(turn, cancellationToken))
                {
                    return null;
                }

                await RememberAsync(turn, cancellationToken);
                if (IsPersonal(activity))
                {
                    await personalChat.HandleAsync(turn, cancellationToken);
                }
                else if (!await reviewActions.OnSubmitAsync(turn, cancellationToken) && !await promotionActions.OnSubmitAsync(turn, cancellationToken))
                {
                    await channelCommands.HandleAsync(turn, cancellationToken);
                }

                await MarkHandledAsync(turn, cancellationToken);
                return null;

            case ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate:
                await RememberAsync(turn, cancellationToken);
                // Teams retries a slow turn: the same install must not welcome twice.
                if (BotWasAdded(activity) && !await WasHandledAsync(turn, cancellationToken))
                {
                    await (IsPersonal(activity)
                        ? turn.SendCardAsync(welcome.Personal(), "Welcome to FusionBot", cancellationToken)
                        : turn.SendCardAsync(WelcomeCards.Channel(), "FusionBot is in this team", cancellationToken));
                    await MarkHandledAsync(turn, cancellationToken);
                }

                return null;

            case ActivityTypes.Invoke when activity.Name == InvokeNames.AdaptiveCardAction:
                return CardActionInvoke.Read(activity.Value) is { } action
                    ? await reviewActions.OnInvokeAsync(turn, action, cancellationToken)
                        ?? await promotionActions.OnInvokeAsync(turn, action, cancellationToken)
                        ?? AdaptiveCardInvokeResponse.Error(400, "UnknownAction", "This card action is not supported.").ToInvokeResponse()
                    : AdaptiveCardInvokeResponse.Error(400, "BadRequest", "This card action could not be read: it needs an action with a verb.").ToInvokeResponse();

            case ActivityTypes.Invoke when activity.Name is TaskFetch or TaskSubmit && IsPersonal(activity) && IntakeFormDialog.Owns(activity.Value):
                return activity.Name == TaskFetch ? await intakeForm.FetchAsync(turn, cancellationToken) : await intakeForm.SubmitAsync(turn, cancellationToken);

            case ActivityTypes.Invoke:
                return UnsupportedInvoke(activity.Name);

            default:
                return null;
        }
    }

    /// <summary>
    /// FusionBot's only dialog is the intake form, and it has no message extension. Any other dialog fetch or submit
    /// gets the message Teams shows in the dialog; any other invoke gets 501, as the Bot Framework SDKs answer an
    /// invoke they do not implement.
    /// </summary>
    private static InvokeResponse UnsupportedInvoke(string? name) => name is TaskFetch or TaskSubmit
        ? new InvokeResponse(200, new JsonObject
        {
            ["task"] = new JsonObject { ["type"] = "message", ["value"] = "FusionBot has no dialog for this button." },
        })
        : new InvokeResponse(501);

    private async Task<bool> WasHandledAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (ProcessedKey(turn) is not { } key || !await processedActivities.IsProcessedAsync(key, time.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        LogRedelivery(logger, turn.Activity.Id!);
        return true;
    }

    private async Task MarkHandledAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (ProcessedKey(turn) is { } key)
        {
            await processedActivities.TryMarkProcessedAsync(key, time.GetUtcNow(), cancellationToken);
        }
    }

    // Channel message ids are unique only within their conversation, and conversations within their tenant.
    private static string? ProcessedKey(TurnContext turn) =>
        string.IsNullOrEmpty(turn.Activity.Id) ? null : $"{turn.TenantId()}|{turn.Activity.Conversation?.Id}|{turn.Activity.Id}";

    private Task RememberAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var reference = activity.GetConversationReference() with { ActivityId = null };
        if (IsPersonal(activity) && activity.From?.Id is { } userId)
        {
            return conversationReferences.SaveForUserAsync(turn.TenantId(), activity.From.AadObjectId, userId, reference, turn.ClientTimeZoneId(), cancellationToken);
        }

        return activity.GetTeamsChannelData()?.Channel?.Id is { } channelId
            ? conversationReferences.SaveForChannelAsync(turn.TenantId(), channelId, reference, cancellationToken)
            : Task.CompletedTask;
    }

    private static bool IsPersonal(Activity activity) =>
        activity.Conversation?.ConversationType is ConversationTypes.Personal or null && activity.Conversation?.IsGroup != true
        && activity.GetTeamsChannelData()?.Channel is null;

    /// <summary>Installing (for a user or a team) sends installationUpdate and conversationUpdate; only the latter welcomes, so one card arrives.</summary>
    private static bool BotWasAdded(Activity activity) =>
        activity.Type == ActivityTypes.ConversationUpdate && activity.MembersAdded?.Any(m => m.Id == activity.Recipient?.Id) == true;

    [LoggerMessage(Level = LogLevel.Information, Message = "Activity {ActivityId} was delivered again; acted on once")]
    private static partial void LogRedelivery(ILogger logger, string activityId);
}
