using FusionBot.Features.Sla;
using FusionBot.Protocol.Connector;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Outbox;

/// <summary>
/// The one background service that carries out due work: every <c>Sla:SweepInterval</c>, or at once when woken, it
/// claims what is due (a lease, so with N instances each item runs on one), hands each item to the handler of its
/// kind in a fresh scope, and completes, retries (with backoff) or fails it. Errors are per item: the loop lives on.
/// </summary>
public sealed partial class OutboxWorker(
    IServiceScopeFactory scopes,
    IDueWorkStore store,
    OutboxSignal signal,
    IOptions<SlaOptions> sla,
    TimeProvider time,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    private const int BatchSize = 50;
    public const int MaxAttempts = 8;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

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
                await signal.WaitAsync(sla.Value.SweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Carries out everything due now; returns how many items it handled.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        while (true)
        {
            var claimed = await store.ClaimDueAsync(time.GetUtcNow(), BatchSize, Lease, _owner, cancellationToken);
            if (claimed.Count == 0)
            {
                return handled;
            }

            await using var scope = scopes.CreateAsyncScope();
            var handlers = scope.ServiceProvider.GetServices<IOutboxHandler>().ToDictionary(h => h.Kind);
            foreach (var item in claimed)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    await HandBackAsync(item);
                    continue;
                }

                await RunAsync(item, handlers, cancellationToken);
                handled++;
            }

            if (claimed.Count < BatchSize)
            {
                return handled;
            }
        }
    }

    private async Task RunAsync(ClaimedDueWork claimed, Dictionary<string, IOutboxHandler> handlers, CancellationToken cancellationToken)
    {
        var item = claimed.Item;
        if (!handlers.TryGetValue(item.Kind, out var handler))
        {
            await store.FailAsync(claimed, $"No handler for kind '{item.Kind}'.", cancellationToken);
            LogNoHandler(logger, item.Id, item.Kind);
            return;
        }

        try
        {
            await handler.HandleAsync(item, cancellationToken);
            // Done is done: stopping now must not leave the item to be carried out again.
            await store.CompleteAsync(claimed, CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await HandBackAsync(claimed);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = Describe(exception);
            if (exception is ConnectorException { IsPermanent: true } || item.Attempts + 1 >= MaxAttempts)
            {
                LogGaveUp(logger, item.Id, item.Kind, reason);
                await store.FailAsync(claimed, reason, cancellationToken);
                await handler.OnFailedAsync(item, reason, cancellationToken);
                return;
            }

            var next = time.GetUtcNow() + Backoff(item.Attempts);
            LogRetry(logger, item.Id, item.Kind, reason, next);
            await store.RetryLaterAsync(claimed, next, reason, cancellationToken);
        }
    }

    /// <summary>
    /// Stopping with items claimed but not carried out: due again now, so the next instance (or this one restarted)
    /// takes them at once instead of after the lease.
    /// </summary>
    private Task HandBackAsync(ClaimedDueWork claimed) =>
        store.RetryLaterAsync(claimed, time.GetUtcNow(), "Instance stopped before carrying it out", CancellationToken.None);

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

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox item {Id} has kind {Kind} that nothing handles; failed")]
    private static partial void LogNoHandler(ILogger logger, string id, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox item {Id} ({Kind}) failed: {Reason}; retrying at {Next:o}")]
    private static partial void LogRetry(ILogger logger, string id, string kind, string reason, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox item {Id} ({Kind}) given up: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string id, string kind, string reason);
}
