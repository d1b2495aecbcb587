using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FusionBot.TestKit.Telemetry;

/// <summary>A span as exported: its name, its attributes (with those of its events, and its status message) as text.</summary>
public sealed record ExportedSpan(string Name, string Scope, string SpanId, string ParentSpanId, IReadOnlyDictionary<string, string> Attributes);

/// <summary>One data point of an exported metric: its attributes and its value (the count, for a histogram).</summary>
public sealed record ExportedPoint(string Metric, string Scope, IReadOnlyDictionary<string, string> Attributes, double Value);

/// <summary>
/// An OTLP/HTTP receiver (protobuf, <c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>) on loopback: point an app at
/// it with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>, and read what
/// arrived, decoded, plus every request body as received.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();
    private readonly ConcurrentQueue<ExportedPoint> _points = new();
    private readonly ConcurrentQueue<KeyValuePair<string, string>> _resource = new();
    private readonly ConcurrentQueue<byte[]> _bodies = new();

    private OtlpCollector(WebApplication app, string endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }
    public IReadOnlyList<ExportedSpan> Spans => [.. _spans];
    public IReadOnlyList<ExportedPoint> Points => [.. _points];
    public IReadOnlyList<KeyValuePair<string, string>> ResourceAttributes => [.. _resource];
    public IReadOnlyList<byte[]> Bodies => [.. _bodies];

    /// <summary>The settings that send an app's traces and metrics here, every half second.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    };

    public static async Task<OtlpCollector> StartAsync()
    {
        OtlpCollector? collector = null;
        var (app, baseUrl) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1/traces", (HttpRequest request) => collector!.ReceiveAsync(request, collector.ReadTraces));
            app.MapPost("/v1/metrics", (HttpRequest request) => collector!.ReceiveAsync(request, collector.ReadMetrics));
            app.MapPost("/v1/logs", (HttpRequest request) => collector!.ReceiveAsync(request, _ => { }));
        }).ConfigureAwait(false);
        collector = new OtlpCollector(app, baseUrl);
        return collector;
    }

    /// <summary>
    /// Waits (up to <paramref name="limit"/>) until what arrived satisfies <paramref name="condition"/>. The app exports
    /// every half second; its last export while shutting down is not guaranteed, so wait before stopping it.
    /// </summary>
    public async Task<bool> WaitForAsync(Func<OtlpCollector, bool> condition, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var deadline = new CancellationTokenSource(limit);
        while (!condition(this))
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

    private async Task<IResult> ReceiveAsync(HttpRequest request, Action<ReadOnlyMemory<byte>> read)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
        var body = buffer.ToArray();
        _bodies.Enqueue(body);
        read(body);
        // An empty Export*ServiceResponse: full success.
        return Results.Bytes([], "application/x-protobuf");
    }

    // ExportTraceServiceRequest: 1 resource_spans { 1 resource, 2 scope_spans { 1 scope { 1 name }, 2 spans } }
    private void ReadTraces(ReadOnlyMemory<byte> body)
    {
        foreach (var resourceSpans in ProtoReader.Read(body).Messages(1))
        {
            var fields = ProtoReader.Read(resourceSpans);
            ReadResource(fields);
            foreach (var scopeSpans in fields.Messages(2))
            {
                var scope = ProtoReader.Read(scopeSpans);
                var scopeName = ScopeName(scope);
                foreach (var span in scope.Messages(2))
                {
                    _spans.Enqueue(ReadSpan(span, scopeName));
                }
            }
        }
    }

    // Span: 2 span_id, 4 parent_span_id, 5 name, 9 attributes, 11 events { 2 name, 3 attributes }, 15 status { 2 message }
    private static ExportedSpan ReadSpan(ReadOnlyMemory<byte> span, string scope)
    {
        var fields = ProtoReader.Read(span);
        var attributes = Attributes(fields.Messages(9));
        foreach (var spanEvent in fields.Messages(11))
        {
            var eventFields = ProtoReader.Read(spanEvent);
            foreach (var (key, value) in Attributes(eventFields.Messages(3)))
            {
                attributes[$"event:{eventFields.String(2)}:{key}"] = value;
            }
        }

        if (fields.Messages(15).Select(s => ProtoReader.Read(s).String(2)).FirstOrDefault(m => m is not null) is { } statusMessage)
        {
            attributes["status.message"] = statusMessage;
        }

        return new ExportedSpan(fields.String(5) ?? "", scope, Hex(fields, 2), Hex(fields, 4), attributes);
    }

    // ExportMetricsServiceRequest: 1 resource_metrics { 1 resource, 2 scope_metrics { 1 scope, 2 metrics } }
    // Metric: 1 name, 5 gauge, 7 sum, 9 histogram (each: 1 data_points).
    private void ReadMetrics(ReadOnlyMemory<byte> body)
    {
        foreach (var resourceMetrics in ProtoReader.Read(body).Messages(1))
        {
            var fields = ProtoReader.Read(resourceMetrics);
            ReadResource(fields);
            foreach (var scopeMetrics in fields.Messages(2))
            {
                var scope = ProtoReader.Read(scopeMetrics);
                var scopeName = ScopeName(scope);
                foreach (var metric in scope.Messages(2))
                {
                    var metricFields = ProtoReader.Read(metric);
                    var name = metricFields.String(1) ?? "";
                    foreach (var point in metricFields.Messages(5).Concat(metricFields.Messages(7)).SelectMany(d => ProtoReader.Read(d).Messages(1)))
                    {
                        // NumberDataPoint: 7 attributes, 4 as_double, 6 as_int
                        var p = ProtoReader.Read(point);
                        var value = p.LastOrDefault(f => f.Field == 4) is { Field: 4 } d ? BitConverter.UInt64BitsToDouble(d.Number)
                            : p.LastOrDefault(f => f.Field == 6) is { Field: 6 } i ? (long)i.Number : 0;
                        _points.Enqueue(new ExportedPoint(name, scopeName, Attributes(p.Messages(7)), value));
                    }

                    foreach (var point in metricFields.Messages(9).SelectMany(h => ProtoReader.Read(h).Messages(1)))
                    {
                        // HistogramDataPoint: 9 attributes, 4 count
                        var p = ProtoReader.Read(point);
                        _points.Enqueue(new ExportedPoint(name, scopeName, Attributes(p.Messages(9)), p.LastOrDefault(f => f.Field == 4).Number));
                    }
                }
            }
        }
    }

    private void ReadResource(List<ProtoField> fields)
    {
        foreach (var resource in fields.Messages(1))
        {
            foreach (var attribute in Attributes(ProtoReader.Read(resource).Messages(1)))
            {
                _resource.Enqueue(attribute);
            }
        }
    }

    private static string ScopeName(List<ProtoField> scopeFields) =>
        scopeFields.Messages(1).Select(s => ProtoReader.Read(s).String(1)).FirstOrDefault() ?? "";

    // KeyValue: 1 key, 2 value (AnyValue: 1 string, 2 bool, 3 int, 4 double, 5 array { 1 values }, 6 kvlist { 1 values }, 7 bytes)
    private static Dictionary<string, string> Attributes(IEnumerable<ReadOnlyMemory<byte>> keyValues)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in keyValues)
        {
            var fields = ProtoReader.Read(keyValue);
            attributes[fields.String(1) ?? ""] = string.Join(",", fields.Messages(2).Select(AnyValue));
        }

        return attributes;
    }

    private static string AnyValue(ReadOnlyMemory<byte> value)
    {
        var field = ProtoReader.Read(value).LastOrDefault();
        return field.Field switch
        {
            1 or 7 => field.Text,
            2 => field.Number != 0 ? "true" : "false",
            3 => ((long)field.Number).ToString(CultureInfo.InvariantCulture),
            4 => BitConverter.UInt64BitsToDouble(field.Number).ToString(CultureInfo.InvariantCulture),
            5 => string.Join(",", ProtoReader.Read(field.Bytes).Messages(1).Select(AnyValue)),
            6 => string.Join(",", Attributes(ProtoReader.Read(field.Bytes).Messages(1)).Select(a => $"{a.Key}={a.Value}")),
            _ => "",
        };
    }

    private static string Hex(List<ProtoField> fields, int field) =>
        fields.Messages(field).Select(b => Convert.ToHexStringLower(b.Span)).FirstOrDefault() ?? "";
}
