using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;

namespace FusionBot.Protocol.Hosting;

/// <summary>One inbound activity and the means to answer it in its conversation.</summary>
public class TurnContext
{
    public TurnContext(Activity activity, ConnectorClient connector)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(connector);
        Activity = activity;
        Connector = connector;
    }

    /// <summary>The inbound activity (for messages, with the bot's own @mention already taken out of the text).</summary>
    public Activity Activity { get; }

    public ConnectorClient Connector { get; }

    /// <summary>
    /// Sends into the turn's conversation. Conversation, from, recipient, channelId, serviceUrl and replyToId are taken
    /// from the inbound activity where unset; with a replyToId the activity goes out as a reply, else as a new message.
    /// </summary>
    public virtual Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.Type ??= ActivityTypes.Message;
        activity.Conversation ??= Activity.Conversation;
        activity.From ??= Activity.Recipient;
        activity.Recipient ??= Activity.From;
        activity.ChannelId ??= Activity.ChannelId;
        activity.ServiceUrl ??= Activity.ServiceUrl;
        activity.ReplyToId ??= Activity.Id;

        var serviceUrl = activity.ServiceUrl ?? throw new InvalidOperationException("The inbound activity has no serviceUrl to answer on.");
        var conversationId = activity.Conversation?.Id ?? throw new InvalidOperationException("The inbound activity has no conversation to answer in.");
        return activity.ReplyToId is { Length: > 0 } replyToId
            ? Connector.ReplyToActivityAsync(serviceUrl, conversationId, replyToId, activity, cancellationToken)
            : Connector.SendToConversationAsync(serviceUrl, conversationId, activity, cancellationToken);
    }

    public Task<ResourceResponse> SendTextAsync(string text, CancellationToken cancellationToken = default) =>
        SendActivityAsync(new Activity { Type = ActivityTypes.Message, Text = text }, cancellationToken);
}
