using System.Globalization;
using System.Text.Json;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FusionBot.Hosting;

/// <summary><c>Health:*</c>: what readiness (<c>/readyz</c>) checks and how long it waits.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>An outbox item due longer than this means no instance is working the outbox: readiness reports Degraded.</summary>
    public TimeSpan OutboxStuckAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long each readiness check may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Storage answers: a one-row query of an empty partition (a missing table fails it, unlike a point read).</summary>
public sealed class StorageHealthCheck(ITableRowStore rows) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await rows.QueryAsync(StorageTables.DueWork, "health", RowKeyRange.All, 1, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The type only: a storage error message can name the account or carry a request URL.
            return HealthCheckResult.Unhealthy($"storage did not answer ({exception.GetType().Name})");
        }
    }
}

/// <summary>The outbox is being worked: its oldest due item is younger than <see cref="HealthOptions.OutboxStuckAfter"/>.</summary>
public sealed class OutboxHealthCheck(IDueWorkStore dueWork, IOptions<HealthOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        DueWorkBacklog backlog;
        try
        {
            backlog = await dueWork.GetBacklogAsync(now, 1, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"outbox could not be read ({exception.GetType().Name})");
        }

        var age = backlog.OldestAge(now);
        return age > options.Value.OutboxStuckAfter
            ? HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture, $"the oldest due outbox item has waited {age:d\\.hh\\:mm\\:ss}"))
            : HealthCheckResult.Healthy();
    }
}

internal static class HealthResponse
{
    /// <summary>The overall status and each check's status and description (never an exception's message).</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, cancellationToken: context.RequestAborted);
    }
}
