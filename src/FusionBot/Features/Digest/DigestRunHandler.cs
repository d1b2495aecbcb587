using FusionBot.Features.Access;
using FusionBot.Features.Outbox;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Digest;

/// <summary>What a scheduled run carries: the occurrence it was due at.</summary>
public sealed record DigestRunPayload(DateTimeOffset Occurrence);

/// <summary>
/// The scheduled weekly run, one outbox item per occurrence (<see cref="DigestSchedule.RunId"/>), so it happens once
/// however many instances there are. For each tenant using the digest it prepares the digest, queues a preview to
/// every CoE admin it can reach 1:1 and, with <c>Digest:AutoSend</c>, the broadcast; then it queues the next run.
/// </summary>
public sealed partial class DigestRunHandler(
    DigestComposer composer,
    DigestBroadcast broadcast,
    DigestArchive archive,
    DigestRuns runs,
    IChannelRoutingStore channels,
    IConversationReferenceStore references,
    WorkOutbox outbox,
    AccessPolicy access,
    IOptions<DigestOptions> options,
    ILogger<DigestRunHandler> logger) : OutboxHandler<DigestRunPayload>(RunKind)
{
    public const string RunKind = "digest-run";

    /// <summary>Who sends an automatic broadcast, as recorded on the digest.</summary>
    public static readonly Person Scheduler = new("fusionbot:schedule", null, "Digest schedule");

    protected override async Task HandleAsync(DigestRunPayload payload, CancellationToken cancellationToken)
    {
        var occurrence = payload.Occurrence;
        foreach (var tenantId in await TenantsAsync(cancellationToken))
        {
            var digest = await composer.PrepareAsync(tenantId, occurrence, cancellationToken);
            await QueuePreviewsAsync(digest, cancellationToken);
            if (options.Value.AutoSend)
            {
                await broadcast.SendAsync(tenantId, Scheduler, cancellationToken);
            }

            LogRan(logger, digest.Id, options.Value.AutoSend);
        }

        await runs.EnqueueNextAsync(occurrence, cancellationToken);
    }

    private async Task<IReadOnlyList<string>> TenantsAsync(CancellationToken cancellationToken)
    {
        var tenants = (await archive.TenantsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var tenantId in await channels.TenantsAsync(cancellationToken))
        {
            if (!tenants.Contains(tenantId) && (await channels.GetChannelsAsync(tenantId, ChannelRoles.Community, cancellationToken)).Count > 0)
            {
                tenants.Add(tenantId);
            }
        }

        return [.. tenants];
    }

    /// <summary>Admins listed by id who have talked to the bot in this tenant; a group's members cannot be listed without Graph.</summary>
    private async Task QueuePreviewsAsync(DigestRecord digest, CancellationToken cancellationToken)
    {
        foreach (var adminId in access.AdminIdsOf(digest.TenantId))
        {
            if (await references.GetAdminChatAsync(adminId, digest.TenantId, cancellationToken) is not { } reference)
            {
                continue;
            }

            var recipient = new DigestRecipient(DigestRecipientKind.Preview, "preview:" + adminId, UserId: adminId, Conversation: reference);
            await outbox.EnqueueAsync($"digest-preview:{digest.Id}:{adminId}", DigestDeliveryHandler.DeliveryKind,
                new DigestDeliveryPayload(digest.TenantId, digest.Id, recipient), cancellationToken: cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest {DigestId} prepared by the schedule (auto-send {AutoSend})")]
    private static partial void LogRan(ILogger logger, string digestId, bool autoSend);
}
