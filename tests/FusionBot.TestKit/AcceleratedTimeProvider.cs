using System.Diagnostics;

namespace FusionBot.TestKit;

/// <summary>
/// Time that runs <see cref="Factor"/> times faster than the wall clock, from now on: every reading of the clock and
/// every timer (delays, cancellation after a time) agree, so leases, Retry-After waits and sweeps keep their real
/// proportions while a test that spans minutes of them takes seconds. Shared by several app instances, it is one clock.
/// </summary>
public sealed class AcceleratedTimeProvider(double factor) : TimeProvider
{
    private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow;
    private readonly long _start = Stopwatch.GetTimestamp();

    public double Factor { get; } = factor > 0 ? factor : throw new ArgumentOutOfRangeException(nameof(factor));

    public override DateTimeOffset GetUtcNow() => _origin + (Stopwatch.GetElapsedTime(_start) * Factor);

    public override long GetTimestamp() => _start + (long)((Stopwatch.GetTimestamp() - _start) * Factor);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span / Factor;

    private sealed class ScaledTimer(ITimer inner, AcceleratedTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Scale(dueTime), clock.Scale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
