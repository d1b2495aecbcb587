using FusionBot.Cards;
using FusionBot.Features.Reminders;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Review;

/// <summary>
/// Hands a Tier 2–4 request to review: with a channel registered for its tier it enters review (new SLA cycle, the
/// card posted through the outbox); without one it waits as PendingRouting, the maker is told once, and the next
/// <c>register</c> of that tier in the request's tenant sends it on.
/// </summary>
public sealed class ReviewRouting(
    IRequestStore requests,
    IRequestHistoryStore history,
    IChannelRoutingStore channels,
    SlaScheduler sla,
    ReviewOutbox outbox,
    WaitingForChannel waiting,
    TimeProvider time)
{
    public async Task<GovernanceRequest> SendForReviewAsync(GovernanceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await HasChannelAsync(request.TenantId, request.Tier, cancellationToken))
        {
            return await EnterReviewAsync(request, request.Maker, RequestActions.SentForReview, null, cancellationToken);
        }

        return await WaitForChannelAsync(request, request.Maker, cancellationToken);
    }

    /// <summary>
    /// Starts a review cycle: PendingReview, the cycle counted, the SLA scheduled from now, and the card posted (first
    /// time in this tier) or updated in place (a resubmission). Throws <see cref="ConcurrencyConflictException"/> when
    /// the request changed since it was read.
    /// </summary>
    public async Task<GovernanceRequest> EnterReviewAsync(GovernanceRequest request, Person actor, string action, string? comment,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var cycle = request.ReviewCycle + 1;
        var due = await sla.ScheduleAsync(request, now, cycle, cancellationToken);
        var reviewing = await requests.UpdateAsync(request with
        {
            Status = RequestStatus.PendingReview,
            ReviewCycle = cycle,
            DueAt = due,
            SlaBreachedAt = null,
            UpdatedAt = now,
        }, cancellationToken);
        await history.AppendAsync(new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = now,
            Action = action,
            Actor = actor,
            StatusBefore = request.Status,
            StatusAfter = RequestStatus.PendingReview,
            TierBefore = request.Tier,
            TierAfter = request.Tier,
            Comment = comment,
        }, cancellationToken);

        if (reviewing.ReviewCard is null)
        {
            await outbox.PostCardAsync(reviewing, cancellationToken);
        }
        else
        {
            await outbox.AnnounceAsync(reviewing, $"**{CardText.EscapeLine(actor.Name ?? actor.Id)}** resubmitted {reviewing.Id} after changes; it is back in review.", cancellationToken);
        }

        return reviewing;
    }

    /// <summary>The request waits for a channel of its tier; the maker is told once per request.</summary>
    public async Task<GovernanceRequest> WaitForChannelAsync(GovernanceRequest request, Person actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var pending = await requests.UpdateAsync(request with { Status = RequestStatus.PendingRouting, UpdatedAt = now }, cancellationToken);

        // Nobody can review it while it waits, so no SLA runs; it starts afresh when the request enters review.
        await sla.StopAsync(request.Id, cancellationToken);
        await history.AppendAsync(new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = now,
            Action = RequestActions.WaitingForChannel,
            Actor = actor,
            StatusBefore = request.Status,
            StatusAfter = RequestStatus.PendingRouting,
            TierAfter = request.Tier,
        }, cancellationToken);
        await waiting.AddAsync(request.Tier, new WaitingRequest(request.TenantId, request.Id), cancellationToken);
        await outbox.TellMakerAsync(pending,
            $"{pending.Id} is waiting: no Tier {pending.Tier} review channel is set up yet. The CoE has been asked; I will post it for review as soon as there is one.",
            cancellationToken, onceKey: "waiting");

        // A channel registered between our check and the index write would never see this request: look once more.
        if (await HasChannelAsync(request.TenantId, request.Tier, cancellationToken))
        {
            await RouteWaitingAsync(request.TenantId, request.Tier, cancellationToken);
        }

        return pending;
    }

    /// <summary>Sends every request of the tenant waiting for <paramref name="tier"/> into review; returns how many went.</summary>
    public async Task<int> RouteWaitingAsync(string tenantId, int tier, CancellationToken cancellationToken)
    {
        var waitingList = await waiting.ListAsync(tenantId, tier, cancellationToken);
        var routed = 0;
        foreach (var entry in waitingList)
        {
            var request = await requests.GetAsync(tenantId, entry.RequestId, cancellationToken);
            if (request is not { Status: RequestStatus.PendingRouting } || request.Tier != tier)
            {
                continue;
            }

            try
            {
                await EnterReviewAsync(request, request.Maker, RequestActions.SentForReview, "A review channel was registered", cancellationToken);
                routed++;
            }
            catch (ConcurrencyConflictException)
            {
                // Someone else routed or withdrew it at the same moment: their outcome stands.
            }
        }

        await waiting.RemoveAsync(tenantId, tier, waitingList, cancellationToken);
        return routed;
    }

    private async Task<bool> HasChannelAsync(string tenantId, int tier, CancellationToken cancellationToken) =>
        ChannelRole(tier) is { } role && (await channels.GetChannelsAsync(tenantId, role, cancellationToken)).Count > 0;

    public static string? ChannelRole(int tier) => tier switch
    {
        2 => ChannelRoles.Tier2,
        3 => ChannelRoles.Tier3,
        4 => ChannelRoles.Tier4,
        _ => null,
    };
}
