using System.Diagnostics;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FusionBot.FunctionalTests.Hosting;

/// <summary>
/// Outbox work is traced on its own: each item a root span named by its kind, with its result and attempt, the storage
/// and connector calls it makes beneath it, and counted by kind and result; no ids, names or text in any of it.
/// Read through OpenTelemetry's in-memory exporter.
/// </summary>
public sealed class OutboxTelemetryTests
{
    private static readonly string[] Results = ["done", "retry", "failed", "released", "error"];
    private static readonly TeamsUser Maker = new("29:outbox-span-maker-91c2", "Xavier Spanfield", "f6a7b8c9-1111-4222-8333-944455556666");

    [Fact]
    public async Task Each_outbox_item_gets_a_root_span_with_kind_and_result_and_is_counted_with_no_personal_data()
    {
        // The exporters add from the outbox's and the metric reader's threads while the test reads.
        var spans = new LockedCollection<Activity>();
        var metrics = new LockedCollection<Metric>();
        var settings = new Dictionary<string, string?> { ["Requests:SettleDelay"] = "00:00:00" };
        await using var bot = await BotHost.StartAsync(settings: settings, services: services => services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource("FusionBot").AddInMemoryExporter(spans))
            .WithMetrics(meters => meters.AddMeter("FusionBot").AddInMemoryExporter(metrics)));
        foreach (var text in new[] { "new request", "Span ledger of Xavier", "Track spans", "Power Apps", "My team", "8", "none", "Internal", "None", "skip", "confirm" })
        {
            await bot.SayAsync(text, Maker);
        }

        var request = Assert.Single(await bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(bot.Activities.TenantId, Maker.Id, 10));
        await bot.SubmitAsync(new JsonObject
        {
            ["selfCertify"] = request.Id, ["dataInTeam"] = "true", ["sharedWithTeam"] = "true", ["noSensitiveData"] = "true", ["ownersNamed"] = "true",
        }, Maker);
        // The transitions' settle items (due at once here) find nothing left to do and are done.
        await Digest.DigestTestData.WaitUntilAsync(async () =>
        {
            await CrashPlan.DrainOutboxAsync(bot);
            return spans.Any(s => s.DisplayName.StartsWith("outbox ", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(60), () => "no outbox span was exported");
        bot.Services.GetRequiredService<MeterProvider>().ForceFlush();
        bot.Services.GetRequiredService<TracerProvider>().ForceFlush();

        var seen = spans.Snapshot();

        var items = seen.Where(s => s.DisplayName.StartsWith("outbox ", StringComparison.Ordinal)).ToList();
        Assert.All(items, item =>
        {
            Assert.Equal(default, item.ParentSpanId);
            Assert.Equal("outbox " + item.GetTagItem("fusionbot.outbox.kind"), item.DisplayName);
            Assert.Contains(item.GetTagItem("fusionbot.outbox.result") as string, Results);
            Assert.IsType<int>(item.GetTagItem("fusionbot.outbox.attempt"));
        });
        Assert.Contains(items, item => (string?)item.GetTagItem("fusionbot.outbox.result") == "done");
        var itemIds = items.Select(i => i.SpanId).ToHashSet();
        Assert.Contains(seen, s => s.DisplayName.StartsWith("storage ", StringComparison.Ordinal) && itemIds.Contains(s.ParentSpanId));

        var counted = metrics.Where(m => m.Name == "fusionbot.outbox.items").SelectMany(Points).ToList();
        Assert.Contains(counted, p => p.Tags["fusionbot.outbox.result"] == "done" && p.Value >= 1);

        string[] personal = [Maker.Id, Maker.Name, Maker.AadObjectId, "Xavier", request.Id, bot.Activities.TenantId];
        var values = seen.SelectMany(s => s.TagObjects.Select(t => t.Value?.ToString() ?? "").Append(s.DisplayName))
            .Concat(counted.SelectMany(p => p.Tags.Values)).ToList();
        foreach (var value in personal)
        {
            Assert.DoesNotContain(values, v => v.Contains(value, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static IEnumerable<(Dictionary<string, string> Tags, long Value)> Points(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new Dictionary<string, string>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value?.ToString() ?? "";
            }

            yield return (tags, point.GetSumLong());
        }
    }

    /// <summary>A collection safe to add to from one thread while another enumerates it (each enumeration is a snapshot).</summary>
    private sealed class LockedCollection<T> : ICollection<T>
    {
        private readonly List<T> items = [];

        public int Count
        {
            get
            {
                lock (items)
                {
                    return items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public void Add(T item)
        {
            lock (items)
            {
                items.Add(item);
            }
        }

        public void Clear()
        {
            lock (items)
            {
                items.Clear();
            }
        }

        public bool Contains(T item)
        {
            lock (items)
            {
                return items.Contains(item);
            }
        }

        public void CopyTo(T[] array, int arrayIndex)
        {
            lock (items)
            {
                items.CopyTo(array, arrayIndex);
            }
        }

        public bool Remove(T item)
        {
            lock (items)
            {
                return items.Remove(item);
            }
        }

        /// <summary>The items now (not <c>ToList()</c>: that reads Count and copies in two steps, and an add between them throws).</summary>
        public List<T> Snapshot()
        {
            lock (items)
            {
                return [.. items];
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
