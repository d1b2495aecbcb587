using FusionBot.Protocol.Models;

namespace FusionBot.Storage;

public static class AdminChats
{
    /// <summary>
    /// A CoE admin's 1:1 with the bot, when they have one in <paramref name="tenantId"/>. One deployment may serve
    /// several tenants, and an admin hears only of their own tenant's requests and digests.
    /// </summary>
    public static async Task<ConversationReference?> GetAdminChatAsync(this IConversationReferenceStore references, string adminId,
        string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        var reference = await references.GetForUserAsync(adminId, null, cancellationToken);
        return (reference?.TenantId ?? reference?.Conversation?.TenantId) is { } tenant && tenant != tenantId ? null : reference;
    }
}
