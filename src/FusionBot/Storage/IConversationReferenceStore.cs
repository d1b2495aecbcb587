using FusionBot.Protocol.Models;

namespace FusionBot.Storage;

/// <summary>Where to reach a user 1:1 or a channel proactively, per tenant. Saves are idempotent upserts.</summary>
public interface IConversationReferenceStore
{
    /// <summary>Stores the user's 1:1 reference in the tenant under their Entra object id when known, else their Teams id.</summary>
    Task SaveForUserAsync(string tenantId, string? aadObjectId, string userId, ConversationReference reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// As above, with the IANA time zone the user's Teams client reported (kept with the reference, personal data like it);
    /// a null <paramref name="timeZone"/> keeps the one stored.
    /// </summary>
    Task SaveForUserAsync(string tenantId, string? aadObjectId, string userId, ConversationReference reference, string? timeZone, CancellationToken cancellationToken = default);

    /// <summary>The user's last reported IANA time zone, found like <see cref="GetForUserAsync"/>; null when never reported.</summary>
    Task<string?> GetTimeZoneForUserAsync(string tenantId, string? aadObjectId, string? userId, CancellationToken cancellationToken = default);

    /// <summary>Finds the user's 1:1 reference in the tenant by Entra object id first, then by Teams id.</summary>
    Task<ConversationReference?> GetForUserAsync(string tenantId, string? aadObjectId, string? userId, CancellationToken cancellationToken = default);

    Task SaveForChannelAsync(string tenantId, string channelId, ConversationReference reference, CancellationToken cancellationToken = default);

    Task<ConversationReference?> GetForChannelAsync(string tenantId, string channelId, CancellationToken cancellationToken = default);
}
