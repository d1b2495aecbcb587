using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;
using TierResult = FusionBot.Features.Classification.Classification;

namespace FusionBot.Features.Intake;

/// <summary>
/// <c>resubmit FR-…</c> after "changes requested": the intake dialog re-opens at the summary with the previous answers
/// (<see cref="IntakeHandler.ResubmitAsync"/>), and on Confirm the SAME request is re-classified and, in one
/// transition, resubmitted and routed again: back into review in its tier (a new SLA cycle, the card in its thread
/// updated), to the new tier's channel (the old card retired), or to self-certification when it is now Tier 1.
/// </summary>
public sealed class Resubmission(IRequestStore requests, RequestWorkflow workflow, ReviewRouting routing)
{
    /// <summary>The maker's own request in ChangesRequested; otherwise null, and the maker was told why.</summary>
    public async Task<GovernanceRequest?> FindAsync(TurnContext turn, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var request = await requests.GetAsync(turn.TenantId(), requestId, cancellationToken);
        if (request is null || request.Maker.Id != turn.Sender().Id)
        {
            await turn.SendTextAsync($"I can't find {CardText.EscapeLine(requestId)} among your requests. Type **my requests** to see them.", cancellationToken);
            return null;
        }

        if (!RequestLifecycle.Allows(request.Status, request.Tier, RequestAction.Resubmit, RequestRole.Maker))
        {
            await turn.SendTextAsync($"{request.Id} is {RequestStatusText.Describe(request.Status).ToLowerInvariant()}: only a request with changes requested can be resubmitted.", cancellationToken);
            return null;
        }

        return request;
    }

    /// <summary>Applies the confirmed answers to the request; returns it, or null when it could not be resubmitted (the maker was told).</summary>
    public async Task<GovernanceRequest?> CompleteAsync(TurnContext turn, string requestId, IntakeAnswers answers, TierResult classification,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(classification);
        if (await requests.GetAsync(turn.TenantId(), requestId, cancellationToken) is { } done
            && done.Maker.Id == turn.Sender().Id && await AlreadyResubmittedAsync(done, cancellationToken))
        {
            // The same confirmation delivered again after it was carried out: the same answer.
            await turn.SendTextAsync(Resubmitted(done), cancellationToken);
            return done;
        }

        var request = await FindAsync(turn, requestId, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var maker = turn.Sender();
        var sameTier = classification.Tier == request.Tier;
        var resubmit = new RequestStep(RequestAction.Resubmit, maker, RequestRole.Maker)
        {
            Change = r => r with
            {
                Answers = answers,
                Title = answers.SolutionName ?? r.Title,
                Tier = classification.Tier,
                Reasons = classification.Reasons,
                ReviewCard = sameTier ? r.ReviewCard : null,
                DueAt = null,
            },
            RetiredCardText = $"Resubmitted by the maker as Tier {classification.Tier}; it is followed up {(classification.Tier == 1 ? "by self-certification" : $"in the Tier {classification.Tier} channel")}.",
        };
        List<RequestStep> steps = [resubmit];
        if (classification.Tier >= 2)
        {
            steps.Add(await routing.NextStepAsync(request with { Tier = classification.Tier }, null,
                $"**{CardText.EscapeLine(maker.Name ?? maker.Id)}** resubmitted {request.Id} after changes; it is back in review.", cancellationToken));
        }

        try
        {
            var stored = (await workflow.ApplyAsync(request, steps, cancellationToken)).Request;
            await routing.AfterAppliedAsync(stored, cancellationToken);
            await turn.SendTextAsync(Resubmitted(stored), cancellationToken);
            return stored;
        }
        catch (ConcurrencyConflictException)
        {
            await turn.SendTextAsync($"{request.Id} changed just now; type **status {request.Id}** to see it, then try again.", cancellationToken);
            return null;
        }
    }

    /// <summary>Resubmitted since changes were last requested, and not yet decided again.</summary>
    private async Task<bool> AlreadyResubmittedAsync(GovernanceRequest request, CancellationToken cancellationToken) =>
        request.Status is RequestStatus.Submitted or RequestStatus.PendingRouting or RequestStatus.PendingReview
        && (await workflow.HistoryAsync(request, cancellationToken))
            .LastOrDefault(e => e.Action is RequestActions.Resubmitted or RequestActions.ChangesRequested)?.Action == RequestActions.Resubmitted;

    private static string Resubmitted(GovernanceRequest request) => request.Tier == 1
        ? $"Resubmitted {request.Id} · {CardText.EscapeLine(request.Title)}: it is now Tier 1, so you self-certify it below."
        : $"Resubmitted {request.Id} · {CardText.EscapeLine(request.Title)}: Tier {request.Tier}, {RequestStatusText.Describe(request.Status).ToLowerInvariant()}. I will tell you here when reviewers decide.";
}
