using FusionBot.Storage;

namespace FusionBot.Features.Outbox;

/// <summary>
/// Holds one claimed item while its handler runs: renews the claim every quarter of the lease for as long as the
/// handler runs, and hands the handler a token that is cancelled as soon as another owner took the item, or before the
/// lease could run out unrenewed (storage unreachable, or this instance too starved to renew). So no send, and no
/// retry of one, starts after this instance stopped holding the item.
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

    /// <summary>
    /// This instance claimed the item again while still working on it (its lease ran out unrenewed, and nobody else
    /// took it meanwhile): the new claim carries on the old one rather than starting the item a second time.
    /// </summary>
    public void Adopt(ClaimedDueWork reclaimed)
    {
        Current = reclaimed;
        if (!_held.IsCancellationRequested)
        {
            _held.CancelAfter(Remaining(reclaimed));
        }
    }

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
        // Renewed until the handler ends, even past the token's deadline: a handler still finishing a send keeps the
        // item from being taken over while it does, and a renewal that succeeds late proves nobody else took it.
        while (!_stopRenewing.IsCancellationRequested)
        {
            var renewing = Current;
            try
            {
                await Task.Delay(_lease / 4, _time, _stopRenewing.Token);
                renewing = Current;
                Current = await _store.RenewAsync(renewing, _time.GetUtcNow() + _lease, _stopRenewing.Token);
                if (!_held.IsCancellationRequested)
                {
                    _held.CancelAfter(Remaining(Current));
                }
            }
            catch (OperationCanceledException) when (_stopRenewing.IsCancellationRequested)
            {
                return;
            }
            catch (ConcurrencyConflictException) when (!ReferenceEquals(renewing, Current))
            {
                // Claimed again by this instance meanwhile (Adopt): renew that claim next time.
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
