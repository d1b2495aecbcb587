using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Components;
using FusionBot.Features.Onboarding;
using FusionBot.Hosting;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;
using static FusionBot.Cards.CardElements;
using TierResult = FusionBot.Features.Classification.Classification;

namespace FusionBot.Features.Intake;

/// <summary>
/// Stores a confirmed request and sends it on, in one transition: submitted by the maker, then (Tier 2–4) sent for
/// review or left waiting for a channel by FusionBot. The request is stored under the id the dialog fixed beforehand,
/// so a confirmation delivered again finds it and answers the same.
/// </summary>
public sealed class RequestSubmission(
    IRequestStore requests,
    RequestWorkflow workflow,
    ReviewRouting reviewRouting,
    Resubmission resubmission,
    GuidelinesGate guidelines,
    ComponentSuggestions suggestions,
    ComponentOpenLinks openLinks,
    DailyRequestCap dailyCap,
    SolutionLinks solutionLinks,
    TimeProvider time)
{
    /// <summary>Submits the request; false when it was held back (guidelines not yet confirmed, or the daily cap reached).</summary>
    public async Task<bool> SubmitAsync(TurnContext turn, IntakeState state, TierResult classification, CancellationToken cancellationToken)
    {
        if (!await guidelines.AllowsSubmissionAsync(turn, classification.Tier, cancellationToken))
        {
            return false;
        }

        if (state.ResubmitOf is { } resubmitOf)
        {
            // A resubmission changes the same request rather than creating another.
            var resubmitted = await resubmission.CompleteAsync(turn, resubmitOf, state.Answers, classification, cancellationToken);
            if (resubmitted is { Tier: 1 })
            {
                await turn.SendCardAsync(SelfCertification.Checklist(resubmitted, problem: null), $"{resubmitted.Id}: self-certification checklist", cancellationToken);
            }

            return true;
        }

        var id = state.SubmittedAs ?? throw new InvalidOperationException("A confirmed intake has its request id fixed before it is submitted.");
        var existing = await requests.GetAsync(turn.TenantId(), id, cancellationToken);
        // A confirmation delivered again finds its request: it was counted when it was made.
        if (existing is null && !await dailyCap.TryCountAsync(turn, cancellationToken))
        {
            return false;
        }

        var maker = turn.Sender();
        // Read before the request is stored: once it is, nothing may stand between it and its checklist or review.
        var matching = openLinks.For(turn.TenantId(), maker.AadObjectId ?? maker.Id,
            await suggestions.SuggestAsync(turn.TenantId(), state.Answers, classification.Tier, cancellationToken));
        var request = existing ?? await CreateAsync(turn, id, state, classification, cancellationToken);
        FusionBotTelemetry.TagTier(request.Tier);
        if (state.LinkTo is { } link)
        {
            // Also on a confirmation delivered again: linking is idempotent.
            await solutionLinks.LinkAsync(request.TenantId, request.Id, link, maker, cancellationToken);
        }

        await turn.SendCardAsync(SubmittedCard(request, classification, matching), $"{request.Id} submitted: Tier {request.Tier}", cancellationToken);
        if (request is { Tier: 1, Status: RequestStatus.Submitted })
        {
            await turn.SendCardAsync(SelfCertification.Checklist(request, problem: null), $"{request.Id}: self-certification checklist", cancellationToken);
        }

        return true;
    }

    private async Task<GovernanceRequest> CreateAsync(TurnContext turn, string id, IntakeState state, TierResult classification, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var maker = turn.Sender();
        var request = new GovernanceRequest
        {
            Id = id,
            TenantId = turn.TenantId(),
            Title = state.Answers.SolutionName ?? "Untitled",
            Answers = state.Answers,
            Tier = classification.Tier,
            Reasons = classification.Reasons,
            Status = RequestStatus.Submitted,
            Maker = maker,
            MakerConversation = turn.Activity.GetConversationReference() with { ActivityId = null },
            CreatedAt = now,
            UpdatedAt = now,
        };
        List<RequestStep> steps = [new(RequestAction.Submit, maker, RequestRole.Maker) { Comment = string.Join("; ", classification.Reasons) }];
        if (request.Tier >= 2)
        {
            steps.Add(await reviewRouting.NextStepAsync(request, null, null, cancellationToken));
        }

        var stored = (await workflow.ApplyAsync(request, steps, cancellationToken)).Request;
        await reviewRouting.AfterAppliedAsync(stored, cancellationToken);
        return stored;
    }

    internal static System.Text.Json.Nodes.JsonObject SubmittedCard(GovernanceRequest request, TierResult classification, IReadOnlyList<SuggestedComponent> matching)
    {
        List<System.Text.Json.Nodes.JsonNode> body =
        [
            Heading($"Submitted: {request.Id} · {CardText.EscapeLine(request.Title)}"),
            IntakeCards.Tier(classification),
            TextBlock(NextSteps(request.Tier)),
            TextBlock($"Type **status {request.Id}** any time to see where it is.", subtle: true),
        ];
        if (matching.Count > 0)
        {
            body.Add(ComponentCards.UsingThis(request.Id, matching));
        }

        return AdaptiveCardJson.Create(body, [CardActions.Command("My requests", "my requests")]);
    }

    private static string NextSteps(int tier) => tier switch
    {
        1 => "Next: tick the self-certification checklist below, then build and deploy it yourself.",
        2 => "Next: a pro developer reviews it, within 48 hours. I will tell you here when they decide.",
        3 => "Next: pro developers schedule a design review with you. I will tell you here when it is set.",
        _ => "Next: a pro developer takes ownership and builds it with you as the source of requirements. I will keep you posted here.",
    };
}
