namespace FusionBot.Storage;

/// <summary>
/// Something to do at a time: a reminder, an escalation, a notification, a digest delivery.
/// <see cref="Id"/> is deterministic (e.g. "remind:FR-000123:50") so the same intention is stored once.
/// </summary>
public sealed record DueWorkItem
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>The handler's input, as JSON text.</summary>
    public required string Payload { get; init; }

    /// <summary>The request the work belongs to, so deciding the request can cancel it.</summary>
    public string? RequestId { get; init; }

    public int Attempts { get; init; }
    public string? LastError { get; init; }
}

/// <summary>An item this owner holds until <see cref="LeaseUntil"/>; pass it back to complete, retry or fail it.</summary>
public sealed class ClaimedDueWork
{
    internal ClaimedDueWork(DueWorkItem item, string owner, DateTimeOffset leaseUntil, string dueRowKey, string etag)
    {
        Item = item;
        Owner = owner;
        LeaseUntil = leaseUntil;
        DueRowKey = dueRowKey;
        ETag = etag;
    }

    public DueWorkItem Item { get; }
    public string Owner { get; }
    public DateTimeOffset LeaseUntil { get; }
    internal string DueRowKey { get; }
    internal string ETag { get; }
}

public enum DueWorkState { Pending, Completed, Failed }

/// <summary>What became of an item. <see cref="Item"/> is null once completed.</summary>
public sealed record DueWorkStatus(string Id, DueWorkState State, DueWorkItem? Item, string? FailureReason);

/// <summary>Items due at a moment: how many (counted up to the limit asked for) and when the oldest fell due.</summary>
public sealed record DueWorkBacklog(int Due, DateTimeOffset? OldestDueAt)
{
    public TimeSpan OldestAge(DateTimeOffset now) => OldestDueAt is { } at && at < now ? now - at : TimeSpan.Zero;
}

/// <summary>
/// The outbox of timed work, safe for any number of instances: each due item is handed to one claimer at a time,
/// kept until completed (a crash means the lease expires and another claimer retries it), and read by due time only.
/// An id is used once: enqueuing an id that is pending, completed or failed does nothing; a cancelled id is free again.
/// </summary>
public interface IDueWorkStore
{
    /// <summary>Stores the item unless its id is known. Returns true when it was added.</summary>
    Task<bool> EnqueueAsync(DueWorkItem item, CancellationToken cancellationToken = default);

    /// <summary>Claims up to <paramref name="max"/> items due at <paramref name="now"/> that nobody holds, for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<ClaimedDueWork>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, string owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends this owner's claim to <paramref name="leaseUntil"/>. Throws <see cref="ConcurrencyConflictException"/>
    /// when the owner no longer holds it: its lease ran out and another claimer took it, or it was cancelled.
    /// </summary>
    Task<ClaimedDueWork> RenewAsync(ClaimedDueWork claimed, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Done: the item leaves the outbox.</summary>
    Task CompleteAsync(ClaimedDueWork claimed, CancellationToken cancellationToken = default);

    /// <summary>Not done yet: due again at <paramref name="nextDueAt"/>, with one more attempt and <paramref name="lastError"/> recorded.</summary>
    Task RetryLaterAsync(ClaimedDueWork claimed, DateTimeOffset nextDueAt, string lastError, CancellationToken cancellationToken = default);

    /// <summary>Never to be done: out of the due range, kept with the reason for the record.</summary>
    Task FailAsync(ClaimedDueWork claimed, string reason, CancellationToken cancellationToken = default);

    /// <summary>Removes a pending item. Returns false when none was pending under that id.</summary>
    Task<bool> CancelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Removes every pending item of the request. Returns how many.</summary>
    Task<int> CancelForRequestAsync(string requestId, CancellationToken cancellationToken = default);

    Task<DueWorkStatus?> GetStatusAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Items due at <paramref name="now"/>, held or not, counted up to <paramref name="limit"/>: for health and metrics.</summary>
    Task<DueWorkBacklog> GetBacklogAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes up to <paramref name="max"/> records of completed or failed items that fell due before
    /// <paramref name="dueBefore"/>, only ids starting with <paramref name="idPrefix"/> when given, none starting with
    /// <paramref name="exceptPrefix"/>. Their ids can be used again afterwards. Returns how many were deleted.
    /// </summary>
    Task<int> PurgeFinishedAsync(DateTimeOffset dueBefore, int max, string? idPrefix = null, string? exceptPrefix = null,
        CancellationToken cancellationToken = default);
}
