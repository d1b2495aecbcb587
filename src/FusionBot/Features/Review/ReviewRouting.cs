using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Review;

/// <summary>Hands a Tier 2–4 request to review: it waits as PendingReview for a reviewer.</summary>
public sealed class ReviewRouting(IRequestStore requests, IRequestHistoryStore history, TimeProvider time)
{
    public async Task<GovernanceRequest> SendForReviewAsync(GovernanceRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = await requests.UpdateAsync(request with { Status = RequestStatus.PendingReview, UpdatedAt = now }, cancellationToken);
        await history.AppendAsync(new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = now,
            Action = "SentForReview",
            Actor = request.Maker,
            StatusBefore = request.Status,
            StatusAfter = RequestStatus.PendingReview,
            TierAfter = request.Tier,
        }, cancellationToken);
        return pending;
    }
}
