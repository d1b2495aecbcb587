using FusionBot.Features.Outbox;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Digest;

/// <summary>What <see cref="DigestBroadcast.SendAsync"/> did: started the broadcast, or found it started already.</summary>
public sealed record DigestSendResult(DigestRecord Digest, bool Started);

/// <summary>Delivery counts of a digest, read from its outbox items.</summary>
public sealed record DigestDeliveryStatus(DigestRecord Digest, int Delivered, int Failed, int Pending, IReadOnlyList<string> FailureReasons);

/// <summary>
/// Sending a digest: marking it sent (once, ETag-guarded) and queueing one broadcast item, whose handler
/// (<see cref="DigestBroadcastHandler"/>) lists the recipients and queues a delivery per recipient. The turn that
/// says "send" writes two records only, however many recipients there are.
/// </summary>
public sealed class DigestBroadcast(DigestArchive archive, DigestComposer composer, WorkOutbox outbox, IDueWorkStore dueWork, TimeProvider time)
{
    public const string BroadcastKind = "digest-broadcast";

    /// <summary>Sends the tenant's current digest (the one last prepared), preparing one first if there is none yet.</summary>
    public async Task<DigestSendResult> SendAsync(string tenantId, Person sender, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var desk = await archive.GetDeskAsync(tenantId, cancellationToken);
        var current = desk.Value.CurrentId is { } id ? await archive.GetAsync(id, cancellationToken) : null;
        if (current is null)
        {
            await composer.PrepareAsync(tenantId, now, cancellationToken);
            current = await archive.GetAsync((await archive.GetDeskAsync(tenantId, cancellationToken)).Value.CurrentId!, cancellationToken);
        }

        var digest = current!.Value;
        if (digest.SentAt is not null)
        {
            return new DigestSendResult(digest, Started: false);
        }

        var sent = digest with { SentAt = now, SentBy = sender };
        try
        {
            await archive.SaveAsync(sent, current.ETag, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            var latest = (await archive.GetAsync(digest.Id, cancellationToken))!.Value;
            if (latest.SentAt is not null)
            {
                return new DigestSendResult(latest, Started: false);
            }

            throw;
        }

        // The note was for this week's digest.
        await archive.UpdateDeskAsync(tenantId, d => d with { Note = null }, cancellationToken);
        await outbox.EnqueueAsync(BroadcastItemId(sent.Id), BroadcastKind, new DigestBroadcastPayload(tenantId, sent.Id), cancellationToken: cancellationToken);
        return new DigestSendResult(sent, Started: true);
    }

    /// <summary>The tenant's current digest with its delivery counts (a queued delivery not yet stored counts as pending).</summary>
    public async Task<DigestDeliveryStatus?> StatusAsync(string tenantId, CancellationToken cancellationToken)
    {
        var desk = await archive.GetDeskAsync(tenantId, cancellationToken);
        if (desk.Value.CurrentId is not { } id || await archive.GetAsync(id, cancellationToken) is not { } stored)
        {
            return null;
        }

        var digest = stored.Value;
        int delivered = 0, failed = 0, pending = 0;
        var reasons = new List<string>();
        foreach (var key in digest.Recipients)
        {
            var status = await dueWork.GetStatusAsync(digest.DeliveryId(key), cancellationToken);
            switch (status?.State)
            {
                case DueWorkState.Completed:
                    delivered++;
                    break;
                case DueWorkState.Failed:
                    failed++;
                    reasons.Add(status.FailureReason ?? "unknown");
                    break;
                default:
                    pending++;
                    break;
            }
        }

        return new DigestDeliveryStatus(digest, delivered, failed, pending, [.. reasons.Distinct(StringComparer.Ordinal)]);
    }

    public static string BroadcastItemId(string digestId) => $"digest-broadcast:{digestId}";
}

public sealed record DigestBroadcastPayload(string TenantId, string DigestId);
