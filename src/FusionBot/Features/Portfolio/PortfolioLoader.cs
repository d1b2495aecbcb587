using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Portfolio;

/// <summary>
/// Reads a tenant's whole portfolio: every request, page by page, with when it was first decided and its review windows. One history read
/// per decided request: acceptable for an on-demand admin report and an export, not for anything on a hot path.
/// </summary>
public sealed class PortfolioLoader(IRequestStore requests, IRequestHistoryStore history)
{
    private const int PageSize = 200;

    public async Task<IReadOnlyList<PortfolioEntry>> LoadAsync(string tenantId, CancellationToken cancellationToken)
    {
        var entries = new List<PortfolioEntry>();
        string? after = null;
        while (true)
        {
            var page = await requests.ListAsync(tenantId, PageSize, after, cancellationToken);
            foreach (var request in page)
            {
                entries.Add(await EntryAsync(request, cancellationToken));
            }

            if (page.Count < PageSize)
            {
                return entries;
            }

            after = page[^1].Id;
        }
    }

    private async Task<PortfolioEntry> EntryAsync(GovernanceRequest request, CancellationToken cancellationToken)
    {
        // Never decided and never back in review after a decision: no history worth reading.
        if (request.Status is RequestStatus.Submitted or RequestStatus.PendingRouting or RequestStatus.PendingReview && request.ReviewCycle <= 1
            && request.PortfolioCheck is null)
        {
            return new PortfolioEntry(request, null);
        }

        var events = await history.ListAsync(request.Id, cancellationToken);
        return new PortfolioEntry(request, events.FirstOrDefault(e => RequestActions.Decisions.Contains(e.Action) || e.Action == RequestActions.SelfCertified)?.At)
        {
            ReviewWindows = [.. TimeToDecision.Windows(request, events)],
        };
    }
}
