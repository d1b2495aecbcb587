using FusionBot.Features.Outbox;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Hosting;

/// <summary>
/// Samples the outbox backlog for the depth and oldest-age gauges once per outbox sweep interval (gauges are read by
/// the exporter synchronously, so the storage read happens here). Runs only when telemetry is exported.
/// </summary>
public sealed partial class OutboxBacklogSampler(IDueWorkStore dueWork, IOptions<OutboxOptions> outbox, TimeProvider time, ILogger<OutboxBacklogSampler> logger)
    : BackgroundService
{
    // Depth is counted up to this many due items; a deeper backlog reads as this number.
    private const int SampleLimit = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                FusionBotTelemetry.ReportBacklog(await dueWork.GetBacklogAsync(now, SampleLimit, stoppingToken), now);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, exception.GetType().Name);
            }

            await Task.Delay(outbox.Value.SweepInterval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sample the outbox backlog ({ErrorType}); the gauges keep the last sample")]
    private static partial void LogFailed(ILogger logger, string errorType);
}
