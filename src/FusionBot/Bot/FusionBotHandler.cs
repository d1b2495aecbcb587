using FusionBot.Features.Channels;
using FusionBot.Features.Chat;
using FusionBot.Features.Onboarding;
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
    WelcomeCards welcome,
    IProcessedActivityStore processedActivities,
    IConversationReferenceStore conversationReferences,
    TimeProvider time,
    ILogger<FusionBotHandler> logger) : IBot
{
    public async Task<InvokeResponse?> OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        switch (activity.Type)
        {
            case ActivityTypes.Message:
                if (await WasHandledAsync(activity, cancellationToken))
                {
                    return null;
                }

                await RememberAsync(activity, cancellationToken);
                if (IsPersonal(activity))
                {
                    await personalChat.HandleAsync(turn, cancellationToken);
                }
                else if (!await reviewActions.OnSubmitAsync(turn, cancellationToken))
                {
                    await channelCommands.HandleAsync(turn, cancellationToken);
                }

                await MarkHandledAsync(activity, cancellationToken);
                return null;

            case ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate:
                await RememberAsync(activity, cancellationToken);
                // Teams retries a slow turn: the same install must not welcome twice.
                if (BotWasAdded(activity) && !await WasHandledAsync(activity, cancellationToken))
                {
                    await (IsPersonal(activity)
                        ? turn.SendCardAsync(welcome.Personal(), "Welcome to FusionBot", cancellationToken)
                        : turn.SendCardAsync(WelcomeCards.Channel(), "FusionBot is in this team", cancellationToken));
                    await MarkHandledAsync(activity, cancellationToken);
                }

                return null;

            case ActivityTypes.Invoke when activity.Name == InvokeNames.AdaptiveCardAction:
                return await reviewActions.OnInvokeAsync(turn, cancellationToken)
                    ?? AdaptiveCardInvokeResponse.Error(400, "UnknownAction", "This card action is not supported.").ToInvokeResponse();

            default:
                return null;
        }
    }

    private async Task<bool> WasHandledAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (ProcessedKey(activity) is not { } key || !await processedActivities.IsProcessedAsync(key, time.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        LogRedelivery(logger, activity.Id!);
        return true;
    }

    private async Task MarkHandledAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (ProcessedKey(activity) is { } key)
        {
            await processedActivities.TryMarkProcessedAsync(key, time.GetUtcNow(), cancellationToken);
        }
    }

    // Channel message ids are unique only within their conversation.
    private static string? ProcessedKey(Activity activity) =>
        string.IsNullOrEmpty(activity.Id) ? null : $"{activity.Conversation?.Id}|{activity.Id}";

    private Task RememberAsync(Activity activity, CancellationToken cancellationToken)
    {
        var reference = activity.GetConversationReference() with { ActivityId = null };
        if (IsPersonal(activity) && activity.From?.Id is { } userId)
        {
            return conversationReferences.SaveForUserAsync(activity.From.AadObjectId, userId, reference, cancellationToken);
        }

        return activity.GetTeamsChannelData()?.Channel?.Id is { } channelId
            ? conversationReferences.SaveForChannelAsync(channelId, reference, cancellationToken)
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
