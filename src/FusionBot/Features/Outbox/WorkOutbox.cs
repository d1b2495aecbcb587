using System.Text.Json;
using FusionBot.Storage;

namespace FusionBot.Features.Outbox;

/// <summary>
/// Work that must happen even if this instance dies right after deciding it: stored first, then carried out by
/// <see cref="OutboxWorker"/> on whichever instance claims it. Work due now wakes the local worker at once.
/// </summary>
public sealed class WorkOutbox(IDueWorkStore store, OutboxSignal signal, TimeProvider time)
{
    public static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    /// <summary>Stores the item unless <paramref name="id"/> is already known (so the same intention is kept once).</summary>
    public async Task EnqueueAsync<T>(string id, string kind, T payload, DateTimeOffset? dueAt = null, string? requestId = null,
        CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await store.EnqueueAsync(new DueWorkItem
        {
            Id = id,
            Kind = kind,
            DueAt = dueAt ?? now,
            Payload = JsonSerializer.Serialize(payload, PayloadJson),
            RequestId = requestId,
        }, cancellationToken);

        if ((dueAt ?? now) <= now)
        {
            signal.Wake();
        }
    }

    /// <summary>Stores a ready-made item unless its id is already known.</summary>
    public async Task EnqueueAsync(DueWorkItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        await store.EnqueueAsync(item, cancellationToken);
        if (item.DueAt <= time.GetUtcNow())
        {
            signal.Wake();
        }
    }

    public Task<int> CancelForRequestAsync(string requestId, CancellationToken cancellationToken = default) =>
        store.CancelForRequestAsync(requestId, cancellationToken);

    public static T Read<T>(DueWorkItem item) =>
        JsonSerializer.Deserialize<T>(item.Payload, PayloadJson) ?? throw new JsonException($"Outbox item {item.Id} has an empty payload.");
}

/// <summary>Wakes this instance's worker when work is due now instead of at the next sweep.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake-pending: one wake-up covers every item enqueued before the next sweep.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var woken = _wake.WaitAsync(stop.Token);
        await Task.WhenAny(woken, Task.Delay(timeout, time, stop.Token));
        await stop.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose() => _wake.Dispose();
}
