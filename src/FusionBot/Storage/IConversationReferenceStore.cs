using FusionBot.Protocol.Models;

namespace FusionBot.Storage;

/// <summary>Where to reach a user 1:1 or a channel proactively. Saves are idempotent upserts.</summary>
public interface IConversationReferenceStore
{
    /// <summary>Stores the user's 1:1 reference under their Entra object id when known, else their Teams id.</summary>
    Task SaveForUserAsync(string? aadObjectId, string userId, ConversationReference reference, CancellationToken cancellationToken = default);

    /// <summary>Finds the user's 1:1 reference by Entra object id first, then by Teams id.</summary>
    Task<ConversationReference?> GetForUserAsync(string? aadObjectId, string? userId, CancellationToken cancellationToken = default);

    Task SaveForChannelAsync(string channelId, ConversationReference reference, CancellationToken cancellationToken = default);

    Task<ConversationReference?> GetForChannelAsync(string channelId, CancellationToken cancellationToken = default);
}
