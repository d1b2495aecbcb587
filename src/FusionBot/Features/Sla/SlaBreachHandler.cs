using FusionBot.Features.Access;
using FusionBot.Features.Outbox;
using FusionBot.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Sla;

/// <summary>
/// The breach point is due: if the request still waits in the same review cycle, mark the breach on the request
/// (ETag-guarded, once) and fan the escalation out into one outbox item per message: the card's breach mark, each
/// CoE admin of the request's tenant, each community channel of that tenant, the maker. Ids are deterministic, so handling the breach twice (a crash
/// before it completed) enqueues nothing new, and each message is retried, failed or completed on its own: one
/// unreachable admin neither blocks nor repeats the others.
/// </summary>
public sealed partial class SlaBreachHandler(
    IRequestStore requests,
    RequestWorkflow workflow,
    IChannelRoutingStore channels,
    WorkOutbox outbox,
    AccessPolicy access,
    NotificationFailures failures,
    TimeProvider time,
    ILogger<SlaBreachHandler> logger) : RequestOutboxHandler<SlaPointPayload>(SlaScheduler.BreachKind, requests, failures, logger)
{
    private const int MaxMarkAttempts = 3;


    protected override bool IsWanted(GovernanceRequest request, SlaPointPayload payload) => SlaWaiting.IsAwaiting(request, payload.Cycle);

    protected override string Describe(SlaPointPayload payload) => "SLA breach escalation";

    protected override async Task HandleAsync(GovernanceRequest request, SlaPointPayload payload, CancellationToken cancellationToken)
    {
        var breached = await MarkBreachedAsync(payload, cancellationToken);
        if (breached is null)
        {
            LogNoLongerWaiting(Logger, payload.RequestId, payload.Cycle);
            return;
        }

        foreach (var adminId in access.AdminIdsOf(breached.TenantId))
        {
            await EscalateAsync(breached, payload.Cycle, EscalationAudience.Admin, adminId, cancellationToken);
        }

        foreach (var channel in await channels.GetChannelsAsync(breached.TenantId, ChannelRoles.Community, cancellationToken))
        {
            await EscalateAsync(breached, payload.Cycle, EscalationAudience.CommunityChannel, channel.ChannelId, cancellationToken);
        }

        await EscalateAsync(breached, payload.Cycle, EscalationAudience.Maker, null, cancellationToken);
        FusionBotTelemetry.SlaBreaches.Add(1);
        LogBreached(Logger, breached.Id, payload.Cycle);
    }

    /// <summary>The request with its breach recorded, or null when it no longer waits in the point's cycle.</summary>
    private async Task<GovernanceRequest?> MarkBreachedAsync(SlaPointPayload point, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var request = await Requests.GetAsync(point.TenantId, point.RequestId, cancellationToken);
            if (request is null || !SlaWaiting.IsAwaiting(request, point.Cycle))
            {
                return null;
            }

            // The window's due time, not the (possibly late) moment we noticed: the same value however often we run.
            var now = time.GetUtcNow();
            var breachedAt = request.DueAt ?? now;
            if (request.SlaBreachedAt == breachedAt)
            {
                return request;
            }

            try
            {
                // The card shows the breach: the transition's card update.
                var marked = await workflow.ApplyAsync(request,
                [
                    new RequestStep(RequestAction.MarkSlaBreached, RequestActors.FusionBot, RequestRole.System)
                    {
                        Change = r => r with { SlaBreachedAt = breachedAt },
                        Comment = $"Review cycle {point.Cycle} was due {breachedAt:yyyy-MM-dd HH:mm} UTC.",
                    },
                ], cancellationToken);
                return marked.Request;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxMarkAttempts)
            {
                // Someone changed the request (perhaps decided it) meanwhile: read it again and re-check.
            }
        }
    }

    private Task EscalateAsync(GovernanceRequest request, int cycle, EscalationAudience audience, string? target, CancellationToken cancellationToken)
    {
        var payload = new SlaEscalationPayload(request.TenantId, request.Id, cycle, audience, target);
        return EnqueueAsync(payload.ItemId, SlaEscalationHandler.EscalationKind, payload, request.Id, cancellationToken);
    }

    // Due now, and tied to the request so that a decision arriving meanwhile (the lifecycle's SLA stop) cancels the rest.
    private Task EnqueueAsync<T>(string id, string kind, T payload, string requestId, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync(id, kind, payload, dueAt: null, requestId, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA breach of {RequestId} (cycle {Cycle}) skipped: the request no longer waits in that cycle")]
    private static partial void LogNoLongerWaiting(ILogger logger, string requestId, int cycle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLA breached: {RequestId} (cycle {Cycle}); escalation queued")]
    private static partial void LogBreached(ILogger logger, string requestId, int cycle);
}
