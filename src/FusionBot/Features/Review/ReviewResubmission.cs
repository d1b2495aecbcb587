using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Intake;
using FusionBot.Features.Tracking;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;
using TierResult = FusionBot.Features.Classification.Classification;

namespace FusionBot.Features.Review;

/// <summary>
/// <c>resubmit FR-…</c> after "changes requested": the intake dialog re-opens at the summary with the previous answers,
/// and on Confirm the SAME request is re-classified and goes back into review (a new SLA cycle; the card in its
/// thread updated, or moved when the tier changed).
/// </summary>
public sealed class ReviewResubmission(
    IRequestStore requests,
    IRequestHistoryStore history,
    ReviewRouting routing,
    ReviewOutbox outbox,
    TimeProvider time)
{
    /// <summary>Re-opens the dialog for the maker's own request in ChangesRequested; otherwise says why not.</summary>
    public async Task StartAsync(TurnContext turn, IntakeHandler intake, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(intake);
        var request = await FindResubmittableAsync(turn, requestId, cancellationToken);
        if (request is not null)
        {
            await intake.ReopenAsync(turn, await intake.LoadAsync(turn, cancellationToken), request, cancellationToken);
        }
    }

    /// <summary>Applies the confirmed answers to the request; returns it, or null when it could not be resubmitted (the maker was told).</summary>
    public async Task<GovernanceRequest?> CompleteAsync(TurnContext turn, string requestId, IntakeAnswers answers, TierResult classification,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(classification);
        var request = await FindResubmittableAsync(turn, requestId, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var changed = request with
        {
            Answers = answers,
            Title = answers.SolutionName ?? request.Title,
            Tier = classification.Tier,
            Reasons = classification.Reasons,
            ReviewCard = classification.Tier == request.Tier ? request.ReviewCard : null,
            UpdatedAt = time.GetUtcNow(),
        };
        try
        {
            var stored = await ApplyAsync(request, changed, turn.Sender(), cancellationToken);
            await turn.SendTextAsync(stored.Tier == 1
                ? $"Resubmitted {stored.Id} · {CardText.EscapeLine(stored.Title)}: it is now Tier 1, so you self-certify it below."
                : $"Resubmitted {stored.Id} · {CardText.EscapeLine(stored.Title)}: Tier {stored.Tier}, {RequestStatusText.Describe(stored.Status).ToLowerInvariant()}. I will tell you here when reviewers decide.",
                cancellationToken);
            return stored;
        }
        catch (ConcurrencyConflictException)
        {
            await turn.SendTextAsync($"{request.Id} changed just now; type **status {request.Id}** to see it, then try again.", cancellationToken);
            return null;
        }
    }

    private async Task<GovernanceRequest> ApplyAsync(GovernanceRequest before, GovernanceRequest changed, Person maker, CancellationToken cancellationToken)
    {
        if (before.ReviewCard is { } oldCard && changed.ReviewCard is null)
        {
            await outbox.RetireCardAsync(before, oldCard, $"Resubmitted by the maker as Tier {changed.Tier}; it is followed up {(changed.Tier == 1 ? "by self-certification" : $"in the Tier {changed.Tier} channel")}.", cancellationToken);
        }

        if (changed.Tier >= 2)
        {
            return changed.ReviewCard is not null
                ? await routing.EnterReviewAsync(changed, maker, "Resubmitted", null, cancellationToken)
                : await routing.SendForReviewAsync(changed, cancellationToken);
        }

        var now = time.GetUtcNow();
        var submitted = await requests.UpdateAsync(changed with { Status = RequestStatus.Submitted, DueAt = null }, cancellationToken);
        await history.AppendAsync(new RequestHistoryEvent
        {
            RequestId = before.Id,
            At = now,
            Action = RequestActions.Resubmitted,
            Actor = maker,
            StatusBefore = before.Status,
            StatusAfter = RequestStatus.Submitted,
            TierBefore = before.Tier,
            TierAfter = changed.Tier,
        }, cancellationToken);
        return submitted;
    }

    private async Task<GovernanceRequest?> FindResubmittableAsync(TurnContext turn, string requestId, CancellationToken cancellationToken)
    {
        var request = await requests.GetAsync(turn.TenantId(), requestId, cancellationToken);
        if (request is null || request.Maker.Id != turn.Sender().Id)
        {
            await turn.SendTextAsync($"I can't find {CardText.EscapeLine(requestId)} among your requests. Type **my requests** to see them.", cancellationToken);
            return null;
        }

        if (request.Status != RequestStatus.ChangesRequested)
        {
            await turn.SendTextAsync($"{request.Id} is {RequestStatusText.Describe(request.Status).ToLowerInvariant()}: only a request with changes requested can be resubmitted.", cancellationToken);
            return null;
        }

        return request;
    }
}
