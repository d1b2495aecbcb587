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
using Microsoft.Extensions.Options;

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
            CardElements.Heading(promotion switch
            {
                { Promoted: null } => "🚀 Promote to production?",
                { TimedOut: true } => "⌛ Timed out",
                { Promoted: true } => "🚀 Promoted to production",
                _ => "⛔ Not promoted",
            }),
            CardElements.FactSet(
                ("Request", $"{request.Id} · {CardText.EscapeLine(request.Title)}"),
                ("Solution", CardText.EscapeLine(promotion.SolutionName)),
                ("Environment", CardText.EscapeLine(promotion.EnvironmentName)),
                ("Tier", request.Tier.ToString(CultureInfo.InvariantCulture)),
                ("Maker", CardText.EscapeLine(request.Maker.Name ?? request.Maker.Id))),
        };
        if (promotion is { TimedOut: true, Promoted: { } letThrough })
        {
            var when = promotion.DecidedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            body.Add(CardElements.TextBlock(letThrough
                ? $"No reviewer promoted it in time; as configured, the deployment went ahead ({when})."
                : $"No reviewer promoted it in time, so the deployment was rejected ({when}). The maker can rerun it when a reviewer has time."));
        }
        else if (promotion.Promoted is { } promoted)
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
        var posted = await connector.ReplyToActivityAsync(thread.ServiceUrl, thread.ConversationId, thread.ActivityId, new Activity
        {
            Type = ActivityTypes.Message,
            Summary = $"{request.Id}: promote {CardText.Truncate(promotion.SolutionName, 40)} to production?",
            Attachments = [PromotionCard.Build(request, promotion).ToAttachment()],
        }, cancellationToken);
        // Timed out while the card was on its way: the update in place found no card to update, so show the outcome now.
        if (posted.Id is { Length: > 0 } activityId
            && await gates.CardPostedAsync(payload.TenantId, payload.StageRunId, payload.Step, activityId, cancellationToken) is { TimedOut: true } timedOut)
        {
            await connector.UpdateActivityAsync(thread.ServiceUrl, thread.ConversationId, activityId, new Activity
            {
                Type = ActivityTypes.Message,
                Attachments = [PromotionCard.Build(request, timedOut).ToAttachment()],
            }, cancellationToken);
        }
    }
}

/// <summary>Shows a promotion's outcome on its card in the review thread, in place. Payload: <see cref="PromotionAsk"/>.</summary>
public sealed class PromotionCardUpdate(
    IRequestStore requests, DeploymentGates gates, ConnectorClient connector, NotificationFailures failures, ILogger<PromotionCardUpdate> logger)
    : RequestOutboxHandler<PromotionAsk>(PipelineWork.PromotionCardUpdate, requests, failures, logger)
{
    protected override bool IsWanted(GovernanceRequest request, PromotionAsk payload) => request.ReviewCard is not null;

    protected override string Describe(PromotionAsk payload) => $"Outcome on the promotion card of stage run {payload.StageRunId}";

    protected override async Task HandleAsync(GovernanceRequest request, PromotionAsk payload, CancellationToken cancellationToken)
    {
        // No activity id: the card was never posted (decided before its turn came), so there is nothing to update.
        if (await gates.GetAsync(payload.TenantId, payload.StageRunId, payload.Step, cancellationToken) is not { Promoted: not null, CardActivityId: { } cardId } promotion)
        {
            return;
        }

        var thread = request.ReviewCard!;
        await connector.UpdateActivityAsync(thread.ServiceUrl, thread.ConversationId, cardId, new Activity
        {
            Type = ActivityTypes.Message,
            Attachments = [PromotionCard.Build(request, promotion).ToAttachment()],
        }, cancellationToken);
    }
}

/// <summary>A promotion nobody decided in time, due <c>Pipelines:PromotionTimeout</c> after it was asked.</summary>
public sealed record PromotionTimeoutCall(string TenantId, string StageRunId, GateStep Step);

/// <summary>
/// Decides a promotion no reviewer decided in time, as <c>Pipelines:PromotionTimeoutAnswer</c> says, with the same
/// ETag-guarded write as a click (so a click at the same moment either wins or finds it timed out), and carries it out
/// like a click: history, the pipeline's answer, the maker told, and the card updated in place.
/// </summary>
public sealed class PromotionTimeoutHandler(
    IRequestStore requests, DeploymentGates gates, RequestWorkflow workflow, WorkOutbox outbox, IOptions<PipelinesOptions> options, TimeProvider time)
    : OutboxHandler<PromotionTimeoutCall>(PipelineWork.PromotionTimeout)
{
    private const int MaxAttempts = 5;

    protected override async Task HandleAsync(PromotionTimeoutCall call, CancellationToken cancellationToken)
    {
        var promotion = await gates.GetAsync(call.TenantId, call.StageRunId, call.Step, cancellationToken);
        for (var attempt = 1; promotion is { Promoted: null }; attempt++)
        {
            try
            {
                promotion = await gates.DecideAsync(promotion with
                {
                    Promoted = options.Value.PromotionTimeoutAnswer == PromotionTimeoutAnswer.Proceed,
                    TimedOut = true,
                    DecidedBy = RequestActors.FusionBot,
                    DecidedAt = time.GetUtcNow(),
                }, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                promotion = await gates.GetAsync(call.TenantId, call.StageRunId, call.Step, cancellationToken);
            }
        }

        // Decided by a reviewer first: their click carried it out.
        if (promotion is not { TimedOut: true })
        {
            return;
        }

        await PromotionOutcome.CarryOutAsync(workflow, outbox, await requests.GetAsync(call.TenantId, promotion.RequestId, cancellationToken), promotion,
            cancellationToken);
    }
}

/// <summary>
/// What a decided promotion sets off, each keyed by the stage run so that carrying it out again (every click does, and
/// a retried timeout) adds nothing: the history event, the pipeline's answer, the maker's notice, the card's update.
/// </summary>
public static class PromotionOutcome
{
    /// <param name="request">The promotion's request; null if it is gone, when the pipeline is still answered.</param>
    public static async Task CarryOutAsync(RequestWorkflow workflow, WorkOutbox outbox, GovernanceRequest? request, PendingPromotion promotion,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(promotion);
        var promoted = promotion.Promoted!.Value;
        var decider = promotion.DecidedBy!;
        var name = decider.Name ?? decider.Id;
        var where = $"{promotion.SolutionName} to {promotion.EnvironmentName}";
        var key = PipelineWork.Key(promotion.StageRunId, promotion.Step);
        var id = promotion.RequestId;
        var (action, comment, answer, makerText) = promotion.TimedOut
            ? (RequestActions.PromotionTimedOut,
                $"{where}: no reviewer promoted it in time; the deployment was {(promoted ? "let through (Pipelines:PromotionTimeoutAnswer)" : "rejected")}.",
                promoted
                    ? $"{id}: no reviewer promoted it to production in time; let through as configured."
                    : $"rejected: no reviewer promoted {id} to production in time. Rerun the deployment when a reviewer has time to promote it.",
                promoted
                    ? null
                    : $"⌛ No reviewer promoted **{CardText.EscapeLine(promotion.SolutionName)}** ({id}) to **{CardText.EscapeLine(promotion.EnvironmentName)}** "
                        + "in time, so the deployment was rejected. Rerun the deployment when a reviewer of your tier has time to promote it: ask in the review thread first.")
            : (promoted ? RequestActions.DeploymentProceeded : RequestActions.DeploymentRejected,
                $"{where}: {(promoted ? "promoted" : "promotion declined")} by {name}.",
                promoted ? $"{id} promoted to production by {name}." : $"rejected: a reviewer ({name}) declined to promote {id} to production.",
                promoted
                    ? null
                    : $"⛔ {CardText.EscapeLine(name)} did not promote **{CardText.EscapeLine(promotion.SolutionName)}** ({id}) to "
                        + $"**{CardText.EscapeLine(promotion.EnvironmentName)}**: the deployment was rejected. Ask them what is missing before deploying again.");

        if (request is not null)
        {
            await PipelineWork.RecordAsync(workflow, request, key, "promotion", action, decider, comment, promotion.DecidedAt!.Value, cancellationToken);
        }

        await PipelineWork.AnswerAsync(outbox, promotion.TenantId, promotion.StageRunId, promotion.Step,
            promoted ? PreDeploymentStepStatus.Completed : PreDeploymentStepStatus.Rejected, answer, id, cancellationToken);
        if (request is not null && makerText is not null)
        {
            await PipelineWork.TellMakerAsync(outbox, request, key, makerText, cancellationToken);
        }

        // A click's own answer shows the outcome on the card; a timeout has no click, so the card is updated in place.
        if (promotion.TimedOut)
        {
            await outbox.EnqueueAsync($"{PipelineWork.PromotionCardUpdate}:{promotion.TenantId}:{key}", PipelineWork.PromotionCardUpdate,
                new PromotionAsk(promotion.TenantId, id, promotion.StageRunId, promotion.Step), cancellationToken: cancellationToken);
        }
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
        await PromotionOutcome.CarryOutAsync(workflow, outbox, request, promotion, cancellationToken);
        if (promotion.TimedOut)
        {
            var late = $"Too late: no reviewer promoted {request.Id} to {promotion.EnvironmentName} in time, so FusionBot "
                + (promotion.Promoted == true ? "let the deployment through as configured." : "rejected the deployment. The maker can rerun it and you promote that run.");
            return (AdaptiveCardInvokeResponse.Card(PromotionCard.Build(request, promotion, late)), late);
        }

        var who = promotion.DecidedBy?.Name ?? promotion.DecidedBy?.Id;
        var outcome = $"{request.Id} was {(promotion.Promoted == true ? "promoted" : "not promoted")} to {promotion.EnvironmentName} by {who}.";
        return (AdaptiveCardInvokeResponse.Card(PromotionCard.Build(request, promotion, decidedNow ? null : "Already decided.")),
            decidedNow ? outcome : "Already decided: " + outcome);
    }

    private static (AdaptiveCardInvokeResponse, string) Fail(int status, string code, string message) =>
        (AdaptiveCardInvokeResponse.Error(status, code, message), message);

    private static bool IsMaker(GovernanceRequest request, Person actor) =>
        string.Equals(request.Maker.Id, actor.Id, StringComparison.Ordinal)
        || (request.Maker.AadObjectId is { Length: > 0 } makerAad && string.Equals(makerAad, actor.AadObjectId, StringComparison.OrdinalIgnoreCase));

    private static string? Read(JsonObject data, string key) =>
        data[key] is JsonValue node && node.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
