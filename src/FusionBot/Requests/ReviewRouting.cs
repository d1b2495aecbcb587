using FusionBot.Storage;

namespace FusionBot.Requests;

/// <summary>
/// Where a Tier 2–4 request goes once it is ready for review: with a channel registered for its tier it enters review
/// (the system step <see cref="RequestAction.SendForReview"/>: new SLA cycle, the card posted through the outbox);
/// without one it waits (<see cref="RequestAction.WaitForChannel"/>), the maker is told once, and the next
/// <c>register</c> of that tier in the request's tenant sends it on. Both are steps for <see cref="RequestWorkflow"/>, credited to FusionBot.
/// </summary>
public sealed class ReviewRouting(IRequestStore requests, IChannelRoutingStore channels, WaitingForChannel waiting, RequestWorkflow workflow)
{
    /// <summary>
    /// The step that follows a request becoming ready for review. <paramref name="threadText"/> is said in the card's
    /// thread when the request already has a card (a resubmission in the same tier).
    /// </summary>
    public async Task<RequestStep> NextStepAsync(GovernanceRequest request, string? comment, string? threadText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await HasChannelAsync(request.TenantId, request.Tier, cancellationToken))
        {
            return new RequestStep(RequestAction.SendForReview, RequestActors.FusionBot, RequestRole.System) { Comment = comment, ThreadText = threadText };
        }

        // The index first: an entry whose request moved on is skipped when routing, while a waiting request is never missed.
        await waiting.AddAsync(request.Tier, new WaitingRequest(request.TenantId, request.Id), cancellationToken);
        return WaitStep(request);
    }

    /// <summary>
    /// After a transition that left the request waiting: a channel registered between our check and the index write
    /// would never see it, so look once more.
    /// </summary>
    public async Task AfterAppliedAsync(GovernanceRequest stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Status == RequestStatus.PendingRouting && await HasChannelAsync(stored.TenantId, stored.Tier, cancellationToken))
        {
            await RouteWaitingAsync(stored.TenantId, stored.Tier, cancellationToken);
        }
    }

    /// <summary>The card could not be posted because its channel went away: the request waits again.</summary>
    public async Task WaitForChannelAsync(GovernanceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await waiting.AddAsync(request.Tier, new WaitingRequest(request.TenantId, request.Id), cancellationToken);
        var applied = await workflow.ApplyAsync(request, [WaitStep(request)], cancellationToken);
        await AfterAppliedAsync(applied.Request, cancellationToken);
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
                await workflow.ApplyAsync(request,
                    [new RequestStep(RequestAction.SendForReview, RequestActors.FusionBot, RequestRole.System) { Comment = "A review channel was registered" }],
                    cancellationToken);
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

    private static RequestStep WaitStep(GovernanceRequest request) =>
        new(RequestAction.WaitForChannel, RequestActors.FusionBot, RequestRole.System)
        {
            MakerText = $"{request.Id} is waiting: no Tier {request.Tier} review channel is set up yet. A CoE admin sets one up (FusionBot tells the admins it knows); I will post it for review as soon as there is one.",
            MakerNoticeKey = "waiting",
            AdminText = $"{request.Id} is waiting for a **Tier {request.Tier}** review channel. To set one up, type **@FusionBot register tier {request.Tier}** in the Teams channel where its reviewers work; every request waiting for it is posted there at once.",
        };

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
