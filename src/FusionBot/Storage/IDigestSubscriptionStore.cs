using FusionBot.Protocol.Models;

namespace FusionBot.Storage;

/// <summary>A maker who asked for the weekly digest, and where to send it.</summary>
public sealed record DigestSubscriber(string UserId, ConversationReference Conversation);

/// <summary>Digest subscribers per tenant: PartitionKey = tenant, RowKey = user id.</summary>
public interface IDigestSubscriptionStore
{
    /// <summary>Subscribes the user, or refreshes their conversation reference.</summary>
    Task SubscribeAsync(string tenantId, DigestSubscriber subscriber, CancellationToken cancellationToken = default);

    /// <summary>Returns false when the user was not subscribed.</summary>
    Task<bool> UnsubscribeAsync(string tenantId, string userId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DigestSubscriber>> ListAsync(string tenantId, CancellationToken cancellationToken = default);
}
