using FusionBot.Protocol.Models;

namespace FusionBot.Storage;

/// <summary>Where to reach a user 1:1 or a channel proactively, per tenant. Saves are idempotent upserts.</summary>
public interface IConversationReferenceStore
{
    /// <summary>Stores the user's 1:1 reference in the tenant under their Entra object id when known, else their Teams id.</summary>
    Task SaveForUserAsync(string tenantId, string? aadObjectId, string userId, ConversationReference reference, CancellationToken cancellationToken = default);

    /// <summary>Finds the user's 1:1 reference in the tenant by Entra object id first, then by Teams id.</summary>
    Task<ConversationReference?> GetForUserAsync(string tenantId, string? aadObjectId, string? userId, CancellationToken cancellationToken = default);

    Task SaveForChannelAsync(string tenantId, string channelId, ConversationReference reference, CancellationToken cancellationToken = default);

    Task<ConversationReference?> GetForChannelAsync(string tenantId, string channelId, CancellationToken cancellationToken = default);
}
