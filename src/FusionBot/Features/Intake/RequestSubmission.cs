using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Components;
using FusionBot.Features.Onboarding;
using FusionBot.Features.Review;
using FusionBot.Hosting;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;
using static FusionBot.Cards.CardElements;
using TierResult = FusionBot.Features.Classification.Classification;

namespace FusionBot.Features.Intake;

/// <summary>Stores a confirmed request with its first history event and tells the maker what happens next.</summary>
public sealed class RequestSubmission(
    IRequestStore requests,
    IRequestHistoryStore history,
    ReviewRouting reviewRouting,
    ReviewResubmission resubmission,
    GuidelinesGate guidelines,
    ComponentSuggestions suggestions,
    ComponentOpenLinks openLinks,
    DailyRequestCap dailyCap,
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

        if (!await dailyCap.TryCountAsync(turn, cancellationToken))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var maker = turn.Sender();
        // Read before the request is stored: once it is, nothing may stand between it and its checklist or review.
        var matching = openLinks.For(turn.TenantId(), maker.AadObjectId ?? maker.Id,
            await suggestions.SuggestAsync(turn.TenantId(), state.Answers, classification.Tier, cancellationToken));
        var request = await requests.CreateAsync(new GovernanceRequest
        {
            Id = "",
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
        }, cancellationToken);

        await history.AppendAsync(new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = now,
            Action = RequestActions.Submitted,
            Actor = maker,
            StatusAfter = RequestStatus.Submitted,
            TierAfter = request.Tier,
            Comment = string.Join("; ", classification.Reasons),
        }, cancellationToken);

        FusionBotTelemetry.TagTier(request.Tier);
        await turn.SendCardAsync(SubmittedCard(request, classification, matching), $"{request.Id} submitted: Tier {request.Tier}", cancellationToken);
        if (request.Tier == 1)
        {
            await turn.SendCardAsync(SelfCertification.Checklist(request, problem: null), $"{request.Id}: self-certification checklist", cancellationToken);
        }
        else
        {
            await reviewRouting.SendForReviewAsync(request, cancellationToken);
        }

        return true;
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
