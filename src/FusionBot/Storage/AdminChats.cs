using FusionBot.Protocol.Models;

namespace FusionBot.Storage;

public static class AdminChats
{
    /// <summary>
    /// A CoE admin's 1:1 with the bot, when they have one in <paramref name="tenantId"/>: references are kept per
    /// tenant, so an admin hears only of their own tenant's requests and digests.
    /// </summary>
    public static Task<ConversationReference?> GetAdminChatAsync(this IConversationReferenceStore references, string adminId,
        string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        return references.GetForUserAsync(tenantId, adminId, null, cancellationToken);
    }
}
