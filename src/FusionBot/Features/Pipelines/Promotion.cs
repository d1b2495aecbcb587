using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Hosting;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Pipelines;

/// <summary>Ask the reviewers of a request, in its review thread, to promote one stage run to production.</summary>
public sealed record PromotionAsk(string TenantId, string RequestId, string StageRunId, GateStep Step = GateStep.PreDeployment) : IRequestWork;

/// <summary>The "Promote to production?" card: the question with two buttons, or what a reviewer decided.</summary>
public static class PromotionCard
{
    public const string PromoteVerb = "pipeline.promote";
    public const string DeclineVerb = "pipeline.decline";
    public const string StageRunKey = "stageRunId";
    public const string StepKey = "step";

    public static bool IsPromotionVerb(string verb) => verb is PromoteVerb or DeclineVerb;

    public static JsonObject Build(GovernanceRequest request, PendingPromotion promotion, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(promotion);
        var body = new List<JsonNode>
        {
            CardElements.Heading(promotion.Promoted is null ? "🚀 Promote to production?" : promotion.Promoted.Value ? "🚀 Promoted to production" : "⛔ Not promoted"),
            CardElements.FactSet(
                ("Request", $"{request.Id} · {CardText.EscapeLine(request.Title)}"),
                ("Solution", CardText.EscapeLine(promotion.SolutionName)),
                ("Environment", CardText.EscapeLine(promotion.EnvironmentName)),
                ("Tier", request.Tier.ToString(CultureInfo.InvariantCulture)),
                ("Maker", CardText.EscapeLine(request.Maker.Name ?? request.Maker.Id))),
        };
        if (promotion.Promoted is { } promoted)
        {
            var who = CardText.EscapeLine(promotion.DecidedBy?.Name ?? promotion.DecidedBy?.Id ?? "a reviewer");
            var when = promotion.DecidedAt is { } at ? " on " + CardWords.When(at) : "";
            body.Add(CardElements.TextBlock($"{(promoted ? "Promoted" : "Declined")} by **{who}**{when}."));
        }
        else
        {
            body.Add(CardElements.TextBlock("The pipeline waits for a pro developer of this tier. Nobody promotes their own request.", subtle: true));
        }

        if (notice is not null)
        {
            body.Add(CardElements.TextBlock(CardText.Escape(notice), subtle: true));
        }

        var data = new JsonObject { [ReviewRequestKey] = request.Id, [StageRunKey] = promotion.StageRunId, [StepKey] = promotion.Step.ToString() };
        JsonNode[] actions = promotion.Promoted is null
            ?
            [
                CardActions.Execute(PromoteVerb, "Promote", data, ActionStyle.Positive),
                CardActions.Execute(DeclineVerb, "Decline", data, ActionStyle.Destructive),
            ]
            : [];
        return AdaptiveCardJson.Create(body, actions);
    }

    public const string ReviewRequestKey = "requestId";
}

/// <summary>Posts the promotion card as a reply in the request's review thread. Payload: <see cref="PromotionAsk"/>.</summary>
public sealed class PromotionCardPost(
    IRequestStore requests, DeploymentGates gates, ConnectorClient connector, NotificationFailures failures, ILogger<PromotionCardPost> logger)
    : RequestOutboxHandler<PromotionAsk>(PipelineWork.PromotionCard, requests, failures, logger)
{
    protected override bool IsWanted(GovernanceRequest request, PromotionAsk payload) => request.ReviewCard is not null;

    protected override string Describe(PromotionAsk payload) => $"Promotion question for stage run {payload.StageRunId} in the review thread";

    protected override async Task HandleAsync(GovernanceRequest request, PromotionAsk payload, CancellationToken cancellationToken)
    {
        if (await gates.GetAsync(payload.TenantId, payload.StageRunId, payload.Step, cancellationToken) is not { Promoted: null } promotion)
        {
            return;
        }

        var thread = request.ReviewCard!;
        await connector.ReplyToActivityAsync(thread.ServiceUrl, thread.ConversationId, thread.ActivityId, new Activity
        {
            Type = ActivityTypes.Message,
            Summary = $"{request.Id}: promote {CardText.Truncate(promotion.SolutionName, 40)} to production?",
            Attachments = [PromotionCard.Build(request, promotion).ToAttachment()],
        }, cancellationToken);
    }
}

/// <summary>
/// A reviewer's click on the promotion card: reviewers only, never the request's maker; decided once (ETag on the
/// pending promotion), recorded on the request's history, answered to the pipeline through the outbox, and the maker
/// told when it was declined. A second click finds it decided and is shown who decided.
/// </summary>
public sealed class PromotionActions(
    IRequestStore requests, DeploymentGates gates, AccessPolicy access, RequestWorkflow workflow, WorkOutbox outbox, TimeProvider time)
{
    private const int MaxAttempts = 5;

    public async Task<InvokeResponse?> OnInvokeAsync(TurnContext turn, CardActionInvoke action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(action);
        return PromotionCard.IsPromotionVerb(action.Verb)
            ? (await DecideAsync(turn, action.Verb == PromotionCard.PromoteVerb, action.Data, cancellationToken)).Response.ToInvokeResponse()
            : null;
    }

    /// <summary>The Action.Submit fallback (a channel message whose value has a promotion verb); false when it is not one.</summary>
    public async Task<bool> OnSubmitAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.Activity.Value is not JsonObject value || Read(value, CardActions.VerbKey) is not { } verb || !PromotionCard.IsPromotionVerb(verb))
        {
            return false;
        }

        var (_, text) = await DecideAsync(turn, verb == PromotionCard.PromoteVerb, value, cancellationToken);
        await turn.SendTextAsync(text, cancellationToken);
        return true;
    }

    /// <returns>The invoke's answer, and the same as a sentence for the Action.Submit fallback.</returns>
    private async Task<(AdaptiveCardInvokeResponse Response, string Text)> DecideAsync(TurnContext turn, bool promote, JsonObject data,
        CancellationToken cancellationToken)
    {
        var tenant = turn.TenantId();
        var actor = turn.Sender();
        var request = Read(data, PromotionCard.ReviewRequestKey) is { } id ? await requests.GetAsync(tenant, id, cancellationToken) : null;
        var step = Enum.TryParse<GateStep>(Read(data, PromotionCard.StepKey), out var named) ? named : GateStep.PreDeployment;
        var promotion = Read(data, PromotionCard.StageRunKey) is { } run ? await gates.GetAsync(tenant, run, step, cancellationToken) : null;
        if (request is null || promotion is null || promotion.RequestId != request.Id)
        {
            return Fail(404, "DeploymentNotFound", "This card's deployment is no longer known.");
        }

        if (IsMaker(request, actor))
        {
            return Fail(403, "OwnRequest", $"You submitted {request.Id}, so you cannot promote it: another reviewer must.");
        }

        if (!await access.IsReviewerAsync(actor, tenant, cancellationToken))
        {
            return Fail(403, "NotReviewer", "Only pro-dev reviewers can promote to production.");
        }

        var decidedNow = false;
        for (var attempt = 1; promotion.Promoted is null; attempt++)
        {
            try
            {
                promotion = await gates.DecideAsync(promotion with { Promoted = promote, DecidedBy = actor, DecidedAt = time.GetUtcNow() }, cancellationToken);
                decidedNow = true;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                promotion = await gates.GetAsync(tenant, promotion.StageRunId, promotion.Step, cancellationToken) ?? promotion;
            }
        }

        // Carried out again on every click, so a decision whose instance died before it got here is finished by the next.
        await FollowThroughAsync(request, promotion, cancellationToken);
        var who = promotion.DecidedBy?.Name ?? promotion.DecidedBy?.Id;
        var outcome = $"{request.Id} was {(promotion.Promoted == true ? "promoted" : "not promoted")} to {promotion.EnvironmentName} by {who}.";
        return (AdaptiveCardInvokeResponse.Card(PromotionCard.Build(request, promotion, decidedNow ? null : "Already decided.")),
            decidedNow ? outcome : "Already decided: " + outcome);
    }

    private async Task FollowThroughAsync(GovernanceRequest request, PendingPromotion promotion, CancellationToken cancellationToken)
    {
        var promoted = promotion.Promoted!.Value;
        var decider = promotion.DecidedBy!;
        var name = decider.Name ?? decider.Id;
        var where = $"{promotion.SolutionName} to {promotion.EnvironmentName}";
        var key = PipelineWork.Key(promotion.StageRunId, promotion.Step);
        await PipelineWork.RecordAsync(workflow, request, key, "promotion",
            promoted ? RequestActions.DeploymentProceeded : RequestActions.DeploymentRejected, decider,
            $"{where}: {(promoted ? "promoted" : "promotion declined")} by {name}.", promotion.DecidedAt!.Value, cancellationToken);
        await PipelineWork.AnswerAsync(outbox, promotion.TenantId, promotion.StageRunId, promotion.Step,
            promoted ? PreDeploymentStepStatus.Completed : PreDeploymentStepStatus.Rejected,
            promoted ? $"{request.Id} promoted to production by {name}." : $"rejected: a reviewer ({name}) declined to promote {request.Id} to production.",
            request.Id, cancellationToken);
        if (!promoted)
        {
            await PipelineWork.TellMakerAsync(outbox, request, key,
                $"⛔ {CardText.EscapeLine(name)} did not promote **{CardText.EscapeLine(promotion.SolutionName)}** ({request.Id}) to "
                + $"**{CardText.EscapeLine(promotion.EnvironmentName)}**: the deployment was rejected. Ask them what is missing before deploying again.",
                cancellationToken);
        }
    }

    private static (AdaptiveCardInvokeResponse, string) Fail(int status, string code, string message) =>
        (AdaptiveCardInvokeResponse.Error(status, code, message), message);

    private static bool IsMaker(GovernanceRequest request, Person actor) =>
        string.Equals(request.Maker.Id, actor.Id, StringComparison.Ordinal)
        || (request.Maker.AadObjectId is { Length: > 0 } makerAad && string.Equals(makerAad, actor.AadObjectId, StringComparison.OrdinalIgnoreCase));

    private static string? Read(JsonObject data, string key) =>
        data[key] is JsonValue node && node.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
