using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Pipelines;

/// <summary>A pre-deployment step the pipelines host asked about: stored by the endpoint, decided by <see cref="PipelineGateHandler"/>.</summary>
public sealed record GateCall(string TenantId, string StageRunId, GateStep Step = GateStep.PreDeployment);

/// <summary>The answer to one stage run's pre-deployment step, carried out by <see cref="PipelineAnswerHandler"/>.</summary>
public sealed record GateAnswer(string TenantId, string StageRunId, PreDeploymentStepStatus Status, string Comments, string? RequestId,
    GateStep Step = GateStep.PreDeployment);

/// <summary>The outbox items of the gate. Their ids carry the stage run, so each stage run is decided and answered once.</summary>
public static class PipelineWork
{
    public const string Gate = "pipeline-gate";
    public const string Answer = "pipeline-answer";
    public const string PromotionCard = "pipeline-promotion-card";
    public const string PromotionCardUpdate = "pipeline-promotion-card-update";
    public const string PromotionTimeout = "pipeline-promotion-timeout";

    // The pipeline shows comments in its run history; long reviewer comments are cut to keep it readable.
    private const int MaxComments = 900;

    /// <summary>One gated step of one stage run: what every id of the gate is keyed by.</summary>
    public static string Key(string stageRunId, GateStep step) => step == GateStep.Approval ? stageRunId + "-approval" : stageRunId;

    public static string GateId(string tenantId, string stageRunId, GateStep step) => $"{Gate}:{tenantId}:{Key(stageRunId, step)}";

    public static Task AnswerAsync(WorkOutbox outbox, string tenantId, string stageRunId, GateStep step, PreDeploymentStepStatus status, string comments,
        string? requestId, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync($"{Answer}:{tenantId}:{Key(stageRunId, step)}", Answer,
            new GateAnswer(tenantId, stageRunId, status, CardText.Truncate("FusionBot: " + comments, MaxComments), requestId, step),
            cancellationToken: cancellationToken);

    /// <summary>The maker's 1:1 notice about this gated step, once however often the gate runs.</summary>
    public static Task TellMakerAsync(WorkOutbox outbox, GovernanceRequest request, string gateKey, string text, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync($"{RequestWorkKinds.MakerNotice}:{request.Id}:gate-{gateKey}", RequestWorkKinds.MakerNotice,
            new ReviewMessage(request.TenantId, request.Id, text), cancellationToken: cancellationToken);

    /// <summary>A gate decision on the request's history, once per gated step (<paramref name="gateKey"/>) and <paramref name="step"/>.</summary>
    public static Task RecordAsync(RequestWorkflow workflow, GovernanceRequest request, string gateKey, string step, string action, Person actor,
        string comment, DateTimeOffset at, CancellationToken cancellationToken) =>
        workflow.RecordAsync(request.TenantId, new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = at,
            Action = action,
            Actor = actor,
            StatusBefore = request.Status,
            StatusAfter = request.Status,
            TierBefore = request.Tier,
            TierAfter = request.Tier,
            Comment = comment,
        }, $"gate-{gateKey}-{step}", cancellationToken);
}

/// <summary>
/// Decides a stage run's pre-deployment step: reads the stage run from the pipelines host (the caller names only its
/// id, so what is deployed where comes from the host itself), finds the request its solution is linked to for the
/// target environment, and answers per <see cref="DeploymentGate"/>. Every step is keyed by the stage run (history
/// event, answer, maker notice, promotion card), so a retried or repeated gate changes nothing and answers once.
/// </summary>
public sealed partial class PipelineGateHandler(
    PipelinesHostClient host,
    SolutionLinks links,
    IRequestStore requests,
    RequestWorkflow workflow,
    DeploymentGates gates,
    WorkOutbox outbox,
    IOptions<PipelinesOptions> options,
    TimeProvider time,
    ILogger<PipelineGateHandler> logger) : OutboxHandler<GateCall>(PipelineWork.Gate)
{
    protected override async Task HandleAsync(GateCall call, CancellationToken cancellationToken)
    {
        var run = await host.GetStageRunAsync(call.StageRunId, cancellationToken);
        if (run is null)
        {
            LogUnknownStageRun(logger, call.StageRunId);
            return;
        }

        var key = PipelineWork.Key(run.StageRunId, call.Step);
        var requestId = await links.FindRequestAsync(call.TenantId, SolutionKind.Solution, run.TargetEnvironmentId, run.ArtifactName, cancellationToken);
        var request = requestId is null ? null : await requests.GetAsync(call.TenantId, requestId, cancellationToken);
        if (request is null)
        {
            // Links are looked up by environment, so a solution linked for another environment lands here too.
            var reason = $"solution {run.ArtifactName} is not linked to a governance request for {run.TargetEnvironmentName}. "
                + $"Link it in FusionBot (`link FR-… solution {run.ArtifactName} in {run.TargetEnvironmentId}`) once its request is approved.";
            await PipelineWork.AnswerAsync(outbox, call.TenantId, run.StageRunId, call.Step, PreDeploymentStepStatus.Rejected, "rejected: " + reason, null,
                cancellationToken);
            return;
        }

        var toProduction = options.Value.ProductionEnvironmentIds.Contains(run.TargetEnvironmentId, StringComparer.OrdinalIgnoreCase);
        var decision = DeploymentGate.Decide(request, toProduction);
        var where = $"{run.ArtifactName} to {run.TargetEnvironmentName}";
        var now = time.GetUtcNow();
        switch (decision.Verdict)
        {
            case GateVerdict.Proceed:
                await PipelineWork.RecordAsync(workflow, request, key, "decided", RequestActions.DeploymentProceeded, RequestActors.FusionBot,
                    $"{where}: {decision.Reason}", now, cancellationToken);
                await PipelineWork.AnswerAsync(outbox, call.TenantId, run.StageRunId, call.Step, PreDeploymentStepStatus.Completed, decision.Reason, request.Id,
                    cancellationToken);
                break;

            case GateVerdict.Reject:
                await RejectAsync(request, run, call.Step, where, decision.Reason, decision.MakerAdvice, now, cancellationToken);
                break;

            case GateVerdict.AskReviewer when request.ReviewCard is null:
                await RejectAsync(request, run, call.Step, where, $"{request.Id} has no review thread to ask a reviewer in.",
                    "Ask a pro developer of your tier to deploy it to production.", now, cancellationToken);
                break;

            default:
                await gates.AskAsync(new PendingPromotion
                {
                    TenantId = call.TenantId,
                    StageRunId = run.StageRunId,
                    Step = call.Step,
                    RequestId = request.Id,
                    SolutionName = run.ArtifactName,
                    EnvironmentName = run.TargetEnvironmentName,
                    AskedAt = now,
                }, cancellationToken);
                await PipelineWork.RecordAsync(workflow, request, key, "decided", RequestActions.PromotionRequested, RequestActors.FusionBot,
                    $"{where}: waiting for a reviewer to promote it.", now, cancellationToken);
                await outbox.EnqueueAsync($"{PipelineWork.PromotionCard}:{call.TenantId}:{key}", PipelineWork.PromotionCard,
                    new PromotionAsk(call.TenantId, request.Id, run.StageRunId, call.Step), cancellationToken: cancellationToken);
                // Not tied to the request (deciding it cancels its work): the pipeline waits for an answer whatever becomes of the request.
                await outbox.EnqueueAsync($"{PipelineWork.PromotionTimeout}:{call.TenantId}:{key}", PipelineWork.PromotionTimeout,
                    new PromotionTimeoutCall(call.TenantId, run.StageRunId, call.Step), now + options.Value.PromotionTimeout, cancellationToken: cancellationToken);
                break;
        }
    }

    private async Task RejectAsync(GovernanceRequest request, StageRun run, GateStep step, string where, string reason, string? advice, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var key = PipelineWork.Key(run.StageRunId, step);
        await PipelineWork.RecordAsync(workflow, request, key, "decided", RequestActions.DeploymentRejected, RequestActors.FusionBot,
            $"{where}: {reason}", now, cancellationToken);
        await PipelineWork.AnswerAsync(outbox, request.TenantId, run.StageRunId, step, PreDeploymentStepStatus.Rejected, $"rejected: {reason}", request.Id,
            cancellationToken);
        await PipelineWork.TellMakerAsync(outbox, request, key,
            $"🚫 The deployment of **{CardText.EscapeLine(run.ArtifactName)}** to **{CardText.EscapeLine(run.TargetEnvironmentName)}** was rejected: "
            + $"{CardText.Escape(reason, 600)}\n\n{advice}", cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pre-deployment call for stage run {StageRunId}, which the pipelines host does not know: not answered")]
    private static partial void LogUnknownStageRun(ILogger logger, string stageRunId);
}

/// <summary>Answers the pre-deployment step on the pipelines host; retried by the outbox until the host takes it.</summary>
public sealed class PipelineAnswerHandler(PipelinesHostClient host, NotificationFailures failures) : OutboxHandler<GateAnswer>(PipelineWork.Answer)
{
    protected override Task HandleAsync(GateAnswer answer, CancellationToken cancellationToken) =>
        host.AnswerAsync(answer.Step, answer.StageRunId, answer.Status, answer.Comments, cancellationToken);

    protected override Task OnFailedAsync(string itemId, GateAnswer answer, string reason, CancellationToken cancellationToken) =>
        answer.RequestId is { } requestId
            ? failures.RecordAsync(requestId, $"Answer to deployment stage run {answer.StageRunId}", reason, cancellationToken, itemId)
            : Task.CompletedTask;
}
