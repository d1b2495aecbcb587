using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FusionBot.TestKit.Telemetry;

/// <summary>
/// Application Insights' ingestion (<c>/v2.1/track</c>) and live metrics endpoints on loopback: what the Azure Monitor
/// exporter sends, decompressed, so a test can read it. Nothing leaves the machine.
/// </summary>
public sealed class AzureMonitorIngestion : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _batches = new();

    private AzureMonitorIngestion(WebApplication app, string baseUrl)
    {
        _app = app;
        ConnectionString = $"InstrumentationKey=00000000-0000-4000-8000-0000000000a1;IngestionEndpoint={baseUrl}/;LiveEndpoint={baseUrl}/";
    }

    /// <summary>APPLICATIONINSIGHTS_CONNECTION_STRING for an app that should export here.</summary>
    public string ConnectionString { get; }

    /// <summary>Every batch received, as text (newline-delimited JSON telemetry items).</summary>
    public IReadOnlyList<string> Batches => [.. _batches];

    public static async Task<AzureMonitorIngestion> StartAsync()
    {
        // The exporter's own usage reports (statsbeat) go to Microsoft's endpoints, not the connection string's: off.
        Environment.SetEnvironmentVariable("APPLICATIONINSIGHTS_STATSBEAT_DISABLED", "true");
        AzureMonitorIngestion? ingestion = null;
        var (app, baseUrl) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v2.1/track", (HttpRequest request) => ingestion!.TrackAsync(request));
            // Live metrics: answered "not subscribed", so the exporter only pings.
            app.MapPost("/QuickPulseService.svc/{*rest}", (HttpResponse response) =>
            {
                response.Headers["x-ms-qps-subscribed"] = "false";
                return Results.Ok();
            });
        }).ConfigureAwait(false);
        ingestion = new AzureMonitorIngestion(app, baseUrl);
        return ingestion;
    }

    /// <summary>Waits (up to <paramref name="limit"/>) until a received batch contains <paramref name="text"/>; the exporter sends every few seconds.</summary>
    public async Task<bool> WaitForAsync(string text, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        while (!Batches.Any(b => b.Contains(text, StringComparison.Ordinal)))
        {
            try
            {
                await Task.Delay(100, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private async Task<IResult> TrackAsync(HttpRequest request)
    {
        Stream body = request.Body;
        if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(request.Body, CompressionMode.Decompress);
        }

        using var reader = new StreamReader(body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync().ConfigureAwait(false);
        _batches.Enqueue(text);
        var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        return Results.Json(new { itemsReceived = items, itemsAccepted = items, errors = Array.Empty<object>() });
    }
}
