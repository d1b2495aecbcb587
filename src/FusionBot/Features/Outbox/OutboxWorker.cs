using System.Collections.Concurrent;
using FusionBot.Hosting;
using FusionBot.Protocol.Connector;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Outbox;

/// <summary>
/// The one background service that carries out due work: every <c>Outbox:SweepInterval</c>, or at once when woken, it
/// claims what is due, up to <c>Outbox:Concurrency</c> items at a time, each under its own short lease that is renewed
/// while the item is worked on (<see cref="ItemLease"/>), and hands each to the handler of its kind in a fresh scope.
/// A claim is taken only when there is room to start it, so no claimed item waits out its lease in a queue; an instance
/// that dies holds at most its in-flight items, which another takes over one lease later. Errors are per item.
/// </summary>
public sealed partial class OutboxWorker(
    IServiceScopeFactory scopes,
    IDueWorkStore store,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    public const int MaxAttempts = 8;
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<string, ItemLease> _working = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, exception);
            }

            try
            {
                await signal.WaitAsync(options.Value.SweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Carries out everything due now; returns how many items it took on. Stopping ends the claiming; items already
    /// started run to their end (a send cut off may have reached Teams and would go out again).
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        var running = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                running.RemoveAll(task => task.IsCompleted);
                var room = options.Value.Concurrency - running.Count;
                var claimed = room == 0
                    ? []
                    : await store.ClaimDueAsync(time.GetUtcNow(), room, options.Value.Lease, _owner, cancellationToken);
                foreach (var item in claimed)
                {
                    if (_working.TryGetValue(item.Item.Id, out var lease))
                    {
                        // Its lease ran out while this instance was still at it (a starved renewal): keep one run going.
                        lease.Adopt(item);
                        continue;
                    }

                    running.Add(RunAsync(item));
                }

                handled += claimed.Count;
                if (running.Count == 0)
                {
                    break;
                }

                // Nothing more to claim until one finishes: then look again, as more may have come due meanwhile.
                await Task.WhenAny(running);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(running);
        }

        return handled;
    }

    private async Task RunAsync(ClaimedDueWork claimed)
    {
        // Off the sweep's thread at once, so a handler that blocks before its first await cannot hold up the others.
        await Task.Yield();
        using var span = FusionBotTelemetry.StartOutboxItem(claimed.Item.Kind, claimed.Item.Attempts);
        var result = "error";
        try
        {
            await using var lease = new ItemLease(store, claimed, options.Value.Lease, time, logger);
            _working[claimed.Item.Id] = lease;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var handler = scope.ServiceProvider.GetServices<IOutboxHandler>().FirstOrDefault(h => h.Kind == claimed.Item.Kind);
                result = await RunAsync(lease, handler);
            }
            finally
            {
                _working.TryRemove(claimed.Item.Id, out _);
            }
        }
        catch (Exception exception)
        {
            LogItemFailed(logger, exception, claimed.Item.Id, claimed.Item.Kind);
        }
        finally
        {
            FusionBotTelemetry.OutboxItemEnded(span, claimed.Item.Kind, result);
        }
    }

    /// <summary>Carries the item out; returns what became of it: done, retry, failed or released (another owner has it).</summary>
    private async Task<string> RunAsync(ItemLease lease, IOutboxHandler? handler)
    {
        var item = lease.Current.Item;
        if (handler is null)
        {
            await store.FailAsync(lease.Current, $"No handler for kind '{item.Kind}'.", CancellationToken.None);
            LogNoHandler(logger, item.Id, item.Kind);
            return "failed";
        }

        try
        {
            await handler.HandleAsync(item, lease.Token);
            await lease.StopAsync();
            // Done is done: even if the lease was lost meanwhile, the item must not be carried out again.
            await store.CompleteAsync(lease.Current, CancellationToken.None);
            return "done";
        }
        catch (OperationCanceledException) when (lease.Token.IsCancellationRequested)
        {
            // Taken over, or the lease could not be renewed: whoever holds it next carries it out.
            await lease.StopAsync();
            LogLeaseEnded(logger, item.Id, item.Kind);
            return "released";
        }
        catch (Exception exception)
        {
            // Retry or fail only what is still ours: a new due row beside another owner's would run the item twice.
            if (!await lease.ConfirmAsync())
            {
                LogLeaseEnded(logger, item.Id, item.Kind);
                return "released";
            }

            var reason = Describe(exception);
            if (exception is ConnectorException { IsPermanent: true } || item.Attempts + 1 >= MaxAttempts)
            {
                LogGaveUp(logger, item.Id, item.Kind, reason);
                await store.FailAsync(lease.Current, reason, CancellationToken.None);
                await handler.OnFailedAsync(item, reason, CancellationToken.None);
                return "failed";
            }

            var next = time.GetUtcNow() + Backoff(item.Attempts);
            LogRetry(logger, item.Id, item.Kind, reason, next);
            await store.RetryLaterAsync(lease.Current, next, reason, CancellationToken.None);
            return "retry";
        }
    }

    /// <summary>5 s, 10 s, 20 s … up to 10 minutes: quick recovery from a blip, patience with an outage.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(600, 5 * Math.Pow(2, Math.Min(attempts, 10))));

    private static string Describe(Exception exception) => exception switch
    {
        ConnectorException connector => $"Connector {(int)connector.StatusCode} {connector.ErrorCode}".TrimEnd(),
        HttpRequestException http => $"HTTP {(int?)http.StatusCode} {http.HttpRequestError}",
        _ => exception.GetType().Name + ": " + exception.Message,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox sweep failed; trying again at the next one")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox item {Id} ({Kind}) could not be settled; its lease runs out and it is tried again")]
    private static partial void LogItemFailed(ILogger logger, Exception exception, string id, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox item {Id} ({Kind}) stopped: this instance no longer holds it")]
    private static partial void LogLeaseEnded(ILogger logger, string id, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox item {Id} has kind {Kind} that nothing handles; failed")]
    private static partial void LogNoHandler(ILogger logger, string id, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox item {Id} ({Kind}) failed: {Reason}; retrying at {Next:o}")]
    private static partial void LogRetry(ILogger logger, string id, string kind, string reason, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox item {Id} ({Kind}) given up: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string id, string kind, string reason);
}
