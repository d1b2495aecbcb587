using Microsoft.Extensions.Options;

namespace FusionBot.Features.Digest;

/// <summary>
/// Spaces this instance's digest sends at least 1/<see cref="DigestOptions.MaxSendsPerSecond"/> apart. The limit is
/// per instance: N instances sharing one outbox may together send up to N times as fast.
/// </summary>
public sealed class DigestSendThrottle(IOptions<DigestOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1 / options.Value.MaxSendsPerSecond);
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    /// <summary>Waits until this instance may send again, and takes that slot.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_next > now)
            {
                await Task.Delay(_next - now, time, cancellationToken);
                now = time.GetUtcNow();
            }

            _next = (now > _next ? now : _next) + _interval;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
