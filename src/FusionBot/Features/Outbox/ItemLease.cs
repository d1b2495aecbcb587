using FusionBot.Storage;

namespace FusionBot.Features.Outbox;

/// <summary>
/// Holds one claimed item while its handler runs: renews the claim every third of the lease and hands the handler a
/// token that is cancelled as soon as another owner took the item, or before the lease could run out unrenewed
/// (storage unreachable). So no send, and no retry of one, starts after this instance stopped holding the item.
/// </summary>
internal sealed partial class ItemLease : IAsyncDisposable
{
    private readonly IDueWorkStore _store;
    private readonly TimeSpan _lease;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _held;
    private readonly CancellationTokenSource _stopRenewing = new();
    private readonly Task _renewing;

    public ItemLease(IDueWorkStore store, ClaimedDueWork claimed, TimeSpan lease, TimeProvider time, ILogger logger)
    {
        _store = store;
        _lease = lease;
        _time = time;
        _logger = logger;
        Current = claimed;
        _held = new CancellationTokenSource(Remaining(claimed), time);
        _renewing = RenewAsync();
    }

    /// <summary>The claim as last renewed: complete, retry or fail through it.</summary>
    public ClaimedDueWork Current { get; private set; }

    /// <summary>Cancelled once the item may no longer be held by this instance.</summary>
    public CancellationToken Token => _held.Token;

    /// <summary>Another owner took the item (or it was cancelled): whatever this instance does with it now is not its call.</summary>
    public bool Lost { get; private set; }

    /// <summary>Stops renewing; afterwards <see cref="Current"/> and <see cref="Lost"/> are final.</summary>
    public async Task StopAsync()
    {
        await _stopRenewing.CancelAsync();
        await _renewing;
    }

    /// <summary>Confirms the claim is still this instance's, right before acting on it. False when lost.</summary>
    public async Task<bool> ConfirmAsync()
    {
        await StopAsync();
        if (Lost)
        {
            return false;
        }

        try
        {
            Current = await _store.RenewAsync(Current, _time.GetUtcNow() + _lease, CancellationToken.None);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            Lost = true;
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _held.Dispose();
        _stopRenewing.Dispose();
    }

    // Cancelled a sixth of the lease before it ends: room for a slow storage call and clocks a little apart.
    private TimeSpan Remaining(ClaimedDueWork claimed)
    {
        var left = claimed.LeaseUntil - _time.GetUtcNow() - (_lease / 6);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task RenewAsync()
    {
        while (!_stopRenewing.IsCancellationRequested && !_held.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_lease / 3, _time, _stopRenewing.Token);
                Current = await _store.RenewAsync(Current, _time.GetUtcNow() + _lease, _stopRenewing.Token);
                _held.CancelAfter(Remaining(Current));
            }
            catch (OperationCanceledException) when (_stopRenewing.IsCancellationRequested)
            {
                return;
            }
            catch (ConcurrencyConflictException)
            {
                Lost = true;
                LogLost(_logger, Current.Item.Id, Current.Item.Kind);
                await _held.CancelAsync();
                return;
            }
            catch (Exception exception)
            {
                // Storage blinked: the next renewal may still come in time; if not, the token runs out on its own.
                LogRenewFailed(_logger, exception, Current.Item.Id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox item {Id} ({Kind}) was taken over by another instance; stopped working on it")]
    private static partial void LogLost(ILogger logger, string id, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease of outbox item {Id} failed; trying again")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string id);
}
