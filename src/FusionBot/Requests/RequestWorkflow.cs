using System.Globalization;
using System.Text.Json;
using FusionBot.Features.Outbox;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Requests;

/// <summary>
/// One step of a transition: the action, who takes it in which role, what else changes on the request, and the texts
/// its side effects carry (the thread reply, the maker's notice, the retired card's last words).
/// </summary>
public sealed record RequestStep(RequestAction Action, Person Actor, RequestRole Role)
{
    public Func<GovernanceRequest, GovernanceRequest>? Change { get; init; }
    public string? Comment { get; init; }
    public string? ThreadText { get; init; }
    public string? MakerText { get; init; }

    /// <summary>Makes the maker's notice one per request under this key, however often the step is taken (e.g. "waiting").</summary>
    public string? MakerNoticeKey { get; init; }

    public string? RetiredCardText { get; init; }

    /// <summary>What the CoE admins are told when the transition has <see cref="RequestEffects.AdminNotice"/>.</summary>
    public string? AdminText { get; init; }
}

/// <summary>A transition as written: the request with its new ETag, and its history including what is still being recorded.</summary>
public sealed record AppliedTransition(GovernanceRequest Request, IReadOnlyList<RequestHistoryEvent> History);

/// <summary>
/// The only writer of a request's status and history. Applying a transition is ONE ETag-guarded write of the request
/// row carrying the new status and, as a <see cref="PendingTransition"/>, its history events and follow-up outbox
/// items (ids fixed at decision time). They are then materialised idempotently and cleared. Should the instance die
/// in between, a "settle" outbox item enqueued just before the write (due after <see cref="RequestsOptions.SettleDelay"/>)
/// finishes the job on whichever instance claims it; any later transition of the request finishes it too. Readers
/// show stored plus pending history, so a decision never looks half-recorded.
/// </summary>
public sealed partial class RequestWorkflow(
    IRequestStore requests,
    IRequestHistoryStore history,
    IDueWorkStore dueWork,
    WorkOutbox outbox,
    IReviewWindow reviewWindow,
    IPeriodicReviewPlanner periodicReviews,
    PersonRequestIndex people,
    IEnumerable<IRequestFollowUps> followUps,
    IOptions<RequestsOptions> options,
    TimeProvider time,
    ILogger<RequestWorkflow> logger)
{
    private const int MaxClearAttempts = 5;

    /// <summary>
    /// Applies <paramref name="steps"/> in order to <paramref name="current"/> (as read, with its ETag; without one it is
    /// created) and writes the result once. Throws <see cref="TransitionNotAllowedException"/> when the lifecycle does
    /// not allow a step, <see cref="ConcurrencyConflictException"/> when the request changed since it was read.
    /// </summary>
    public async Task<AppliedTransition> ApplyAsync(GovernanceRequest current, IReadOnlyList<RequestStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(steps);
        var isNew = current.ETag is null;
        var batch = Plan(current, isNew, steps);
        var changed = batch.Request with { Pending = [.. current.Pending, batch.Pending] };

        // The safety net first: if we die after the write below, this item records what the write left pending.
        await outbox.EnqueueAsync(new DueWorkItem
        {
            Id = $"{RequestWorkKinds.Settle}:{current.Id}:{batch.Pending.Id}",
            Kind = RequestWorkKinds.Settle,
            DueAt = time.GetUtcNow() + options.Value.SettleDelay,
            Payload = JsonSerializer.Serialize(new ReviewRequestRef(current.TenantId, current.Id), WorkOutbox.PayloadJson),
        }, cancellationToken);

        // Who took part, before the write (like the maker index): an erasure or export finds the request by the person.
        var takingPart = steps.Select(s => s.Actor).Where(a => a.Id != RequestActors.FusionBot.Id).Select(PersonRequestIndex.KeyOf).Distinct().ToList();
        await IndexAsync(current.TenantId, current.Id, takingPart, cancellationToken);
        var stored = isNew ? await requests.CreateAsync(changed, cancellationToken) : await requests.UpdateAsync(changed, cancellationToken);
        if (stored.Id != current.Id)
        {
            // A new request without a reserved id learnt its id from the write.
            await IndexAsync(stored.TenantId, stored.Id, takingPart, cancellationToken);
        }

        var events = await HistoryAsync(stored, cancellationToken);
        try
        {
            stored = await SettleAsync(stored, cancellationToken) ?? stored;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Decided and stored: the settle item finishes recording it; the caller's answer stands.
            LogSettleDeferred(logger, stored.Id, exception);
        }

        return new AppliedTransition(stored, events);
    }

    /// <summary>
    /// Carries out every pending transition of the request (history rows insert-if-absent, outbox items enqueue-once,
    /// SLA stop) and removes them from the row. Safe to repeat and to run on several instances at once.
    /// Returns the request as last written or read, or null when it is gone.
    /// </summary>
    public async Task<GovernanceRequest?> SettleAsync(GovernanceRequest? request, CancellationToken cancellationToken)
    {
        if (request is null || request.Pending.Count == 0)
        {
            return request;
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pending in request.Pending)
        {
            if (pending.StopSla)
            {
                await dueWork.CancelForRequestAsync(request.Id, cancellationToken);
            }

            foreach (var historyEvent in pending.Events)
            {
                await history.AppendAsync(historyEvent, cancellationToken);
            }

            foreach (var item in pending.Work)
            {
                await outbox.EnqueueAsync(item, cancellationToken);
            }

            done.Add(pending.Id);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await requests.UpdateAsync(request with { Pending = [.. request.Pending.Where(p => !done.Contains(p.Id))] }, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxClearAttempts)
            {
                request = await requests.GetAsync(request.TenantId, request.Id, cancellationToken);
                if (request is null || !request.Pending.Any(p => done.Contains(p.Id)))
                {
                    return request;
                }
            }
        }
    }

    /// <summary>The request's history as stored, plus the events of transitions still being recorded, in time order.</summary>
    public async Task<IReadOnlyList<RequestHistoryEvent>> HistoryAsync(GovernanceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stored = await history.ListAsync(request.Id, cancellationToken);
        var known = stored.Select(e => e.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var pending = request.Pending.SelectMany(p => p.Events).Where(e => e.Id is null || !known.Contains(e.Id));
        return [.. stored.Concat(pending).OrderBy(e => e.At)];
    }

    /// <summary>
    /// An event about the request that changes nothing on it (a solution linked, a component in use, a promotion decided):
    /// appended once under <paramref name="eventId"/>, so a retried handler does not record it twice. A person who took it
    /// is indexed first (as in <see cref="ApplyAsync"/>), so an export or erasure finds the request by them.
    /// </summary>
    public async Task RecordAsync(string tenantId, RequestHistoryEvent historyEvent, string eventId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(historyEvent);
        if (historyEvent.Actor.Id != RequestActors.FusionBot.Id)
        {
            await IndexAsync(tenantId, historyEvent.RequestId, [PersonRequestIndex.KeyOf(historyEvent.Actor)], cancellationToken);
        }

        await AppendOnceAsync(historyEvent, eventId, cancellationToken);
    }

    /// <summary>FusionBot's own event about the request (a failed send, an overdue review): no person to index.</summary>
    public Task RecordAsync(RequestHistoryEvent historyEvent, string eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        if (historyEvent.Actor.Id != RequestActors.FusionBot.Id)
        {
            throw new ArgumentException("An event a person took is recorded with their tenant, so the person index lists it.", nameof(historyEvent));
        }

        return AppendOnceAsync(historyEvent, eventId, cancellationToken);
    }

    private async Task AppendOnceAsync(RequestHistoryEvent historyEvent, string eventId, CancellationToken cancellationToken)
    {
        // The row key starts with the event's time, so a retry at a later time would not collide with the first: look first.
        if ((await history.ListAsync(historyEvent.RequestId, cancellationToken)).Any(e => e.Id == eventId))
        {
            return;
        }

        await history.AppendAsync(historyEvent with { Id = eventId }, cancellationToken);
    }

    private async Task IndexAsync(string tenantId, string requestId, IReadOnlyList<string> personKeys, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            return;
        }

        foreach (var person in personKeys)
        {
            await people.AddAsync(tenantId, person, requestId, cancellationToken);
        }
    }

    private (GovernanceRequest Request, PendingTransition Pending) Plan(GovernanceRequest current, bool isNew, IReadOnlyList<RequestStep> steps)
    {
        var now = time.GetUtcNow();
        var batchId = now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..8];
        var request = current;
        var events = new List<RequestHistoryEvent>();
        var work = new List<DueWorkItem>();
        var stopSla = false;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            RequestStatus? from = isNew && i == 0 ? null : request.Status;
            var transition = RequestLifecycle.Find(from, request.Tier, step.Action)
                ?? throw new TransitionNotAllowedException($"{step.Action} is not allowed for {current.Id} in {from?.ToString() ?? "creation"} (Tier {request.Tier}).");
            if ((transition.Who & step.Role) == 0)
            {
                throw new TransitionNotAllowedException($"{step.Action} of {current.Id} is not for {step.Role}.");
            }

            var before = request;
            var after = (step.Change?.Invoke(before) ?? before) with { Status = transition.To, UpdatedAt = now };
            var effects = transition.Effects;
            var key = $"{batchId}-{i}";
            if (effects.HasFlag(RequestEffects.StartSla))
            {
                var cycle = before.ReviewCycle + 1;
                var (due, points) = reviewWindow.Start(after, now, cycle);
                after = after with { ReviewCycle = cycle, DueAt = due, SlaBreachedAt = null };
                work.AddRange(points);
                // Points of the old window are skipped by their cycle; cancelling them here would race the new ones.
                stopSla = false;
            }

            if (effects.HasFlag(RequestEffects.StopSla))
            {
                stopSla = true;
            }

            events.Add(new RequestHistoryEvent
            {
                Id = key,
                RequestId = current.Id,
                At = now,
                Action = transition.HistoryAction,
                Actor = step.Actor,
                StatusBefore = from,
                StatusAfter = after.Status,
                TierBefore = from is null ? null : before.Tier,
                TierAfter = after.Tier,
                Comment = step.Comment,
            });
            work.AddRange(FollowUps(before, after, effects, step, key));
            request = after;
        }

        // The reports' view of the history changes in this same write (not for rows still waiting for their back-fill).
        if (isNew || current.Milestones is not null)
        {
            request = request with { Milestones = (isNew ? new RequestMilestones() : current.Milestones!).With(events, request.Tier) };
        }

        return (request, new PendingTransition(batchId, events, work, stopSla));
    }

    private IEnumerable<DueWorkItem> FollowUps(GovernanceRequest before, GovernanceRequest after, RequestEffects effects, RequestStep step, string key)
    {
        if (effects.HasFlag(RequestEffects.RetireCard) && before.ReviewCard is { } old && after.ReviewCard is null && step.RetiredCardText is { } last)
        {
            yield return Item(RequestWorkKinds.RetireCard, after.Id, key, new RetiredCard(after.TenantId, after.Id, old, last));
        }

        var card = after.ReviewCard;
        if (effects.HasFlag(RequestEffects.PostCard) && card is null)
        {
            yield return Item(RequestWorkKinds.PostCard, after.Id, after.ReviewCycle.ToString(CultureInfo.InvariantCulture), new ReviewRequestRef(after.TenantId, after.Id));
        }

        if (card is not null && effects.HasFlag(RequestEffects.UpdateCard) || card is not null && effects.HasFlag(RequestEffects.PostCard))
        {
            yield return Item(RequestWorkKinds.UpdateCard, after.Id, key, new ReviewRequestRef(after.TenantId, after.Id));
        }

        var thread = before.ReviewCard ?? card;
        if ((effects.HasFlag(RequestEffects.ThreadReply) || effects.HasFlag(RequestEffects.PostCard) && card is not null)
            && thread is not null && step.ThreadText is { } reply)
        {
            yield return Item(RequestWorkKinds.ThreadReply, after.Id, key, new ReviewMessage(after.TenantId, after.Id, reply, thread));
        }

        if (effects.HasFlag(RequestEffects.MakerNotice) && step.MakerText is { Length: > 0 } notice)
        {
            yield return Item(RequestWorkKinds.MakerNotice, after.Id, step.MakerNoticeKey ?? key, new ReviewMessage(after.TenantId, after.Id, notice));
        }

        if (effects.HasFlag(RequestEffects.AdminNotice) && step.AdminText is { Length: > 0 } adminText)
        {
            yield return Item(RequestWorkKinds.AdminNotice, after.Id, key, new ReviewMessage(after.TenantId, after.Id, adminText));
        }

        if (effects.HasFlag(RequestEffects.NextPeriodicReview) && periodicReviews.NextReview(after) is { } next)
        {
            yield return next;
        }

        foreach (var item in followUps.SelectMany(f => f.After(before, after, key)))
        {
            yield return item;
        }
    }

    private DueWorkItem Item<T>(string kind, string requestId, string key, T payload) => new()
    {
        Id = $"{kind}:{requestId}:{key}",
        Kind = kind,
        DueAt = time.GetUtcNow(),
        Payload = JsonSerializer.Serialize(payload, WorkOutbox.PayloadJson),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} is stored; recording the rest of its transition is left to its settle item")]
    private static partial void LogSettleDeferred(ILogger logger, string requestId, Exception exception);
}
