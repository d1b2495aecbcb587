using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using FusionBot.Features.Outbox;
using FusionBot.Features.Sla;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace FusionBot.Bench;

/// <summary>
/// How the outbox sweep scales: for each number of open requests (each with a future SLA point stored), and each number
/// of due items, the real <see cref="OutboxWorker.SweepAsync"/> (no-op handler) drains the due items from azurite;
/// then an idle sweep runs with nothing due. Prints a markdown table of medians.
/// Usage: dotnet run -c Release --project bench/SweepBenchmark -- [--open 1000,100000] [--due 100,1000] [--runs 3]
/// </summary>
public static class SweepBenchmark
{
    private const string BenchKind = "bench-noop";

    public static async Task<int> Main(string[] args)
    {
        var open = Sizes(args, "--open", [1_000, 100_000]);
        var due = Sizes(args, "--due", [100, 1_000]);
        var runs = Sizes(args, "--runs", [3])[0];
        var azurite = await AzuriteTableServer.GetSharedAsync();
        Console.WriteLine($"azurite-table on port {azurite.Port}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        var results = new List<Result>();
        foreach (var openCount in open)
        {
            results.AddRange(await MeasureAsync(azurite, openCount, due, runs));
        }

        Console.WriteLine();
        Console.WriteLine("| open requests | due items | sweep (median ms) | per due item (ms) | range reads | rows read | range-read time (ms) | idle sweep (ms) | idle rows read |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => (r.Open, r.Due)))
        {
            var sweep = Median(group.Select(r => r.Sweep.TotalMilliseconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Open:N0} | {group.Key.Due:N0} | {sweep:F0} | {sweep / group.Key.Due:F2} | {Median(group.Select(r => (double)r.Counts.Queries)):F0} | " +
                $"{Median(group.Select(r => (double)r.Counts.RowsRead)):F0} | {Median(group.Select(r => r.Counts.QueryTime.TotalMilliseconds)):F0} | " +
                $"{Median(group.Select(r => r.Idle.TotalMilliseconds)):F1} | {Median(group.Select(r => (double)r.IdleCounts.RowsRead)):F0} |"));
        }

        return 0;
    }

    private static async Task<List<Result>> MeasureAsync(AzuriteTableServer azurite, int openCount, IReadOnlyList<int> dueCounts, int runs)
    {
        var prefix = AzuriteTableServer.NewTablePrefix();
        var rows = new CountingRowStore(new AzureTableRowStore(new TableServiceClient(azurite.ConnectionString), prefix));
        await using var services = Services(azurite.ConnectionString, prefix, rows);
        await rows.InitializeAsync();

        var seeding = Stopwatch.StartNew();
        await new OpenRequestSeeder(new TableServiceClient(azurite.ConnectionString), prefix).SeedAsync(openCount, DateTimeOffset.UtcNow);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeded {openCount:N0} open requests (+{openCount:N0} future SLA points) in {seeding.Elapsed.TotalSeconds:F1} s"));

        var worker = services.GetRequiredService<OutboxWorker>();
        var store = services.GetRequiredService<IDueWorkStore>();
        var results = new List<Result>();
        for (var run = 1; run <= runs; run++)
        {
            foreach (var dueCount in dueCounts)
            {
                await EnqueueDueAsync(store, run, dueCount);
                var before = rows.Snapshot();
                var started = Stopwatch.GetTimestamp();
                var handled = await worker.SweepAsync(CancellationToken.None);
                var sweep = Stopwatch.GetElapsedTime(started);
                var afterSweep = rows.Snapshot();
                if (handled != dueCount)
                {
                    throw new InvalidOperationException($"The sweep handled {handled} items, {dueCount} were due.");
                }

                started = Stopwatch.GetTimestamp();
                var idleHandled = await worker.SweepAsync(CancellationToken.None);
                var idle = Stopwatch.GetElapsedTime(started);
                var result = new Result(openCount, dueCount, sweep, afterSweep - before, idle, rows.Snapshot() - afterSweep);
                if (idleHandled != 0)
                {
                    throw new InvalidOperationException($"The idle sweep handled {idleHandled} items.");
                }

                results.Add(result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"open {openCount:N0} due {dueCount:N0} run {run}: sweep {sweep.TotalMilliseconds:F0} ms " +
                    $"({result.Counts.Queries} range reads, {result.Counts.RowsRead} rows, {result.Counts.QueryTime.TotalMilliseconds:F0} ms reading; " +
                    $"{result.Counts.PointCalls} point calls); idle sweep {idle.TotalMilliseconds:F1} ms ({result.IdleCounts.RowsRead} rows)"));
            }
        }

        return results;
    }

    private static async Task EnqueueDueAsync(IDueWorkStore store, int run, int count)
    {
        var dueAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            var requestId = OpenRequestSeeder.RequestId(i);
            await store.EnqueueAsync(new DueWorkItem
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"bench:{run}:{count}:{i}"),
                Kind = BenchKind,
                DueAt = dueAt.AddMilliseconds(i),
                Payload = "{}",
                RequestId = requestId,
            }, cancellationToken);
        });
    }

    /// <summary>The app's storage and outbox wiring, with the row store wrapped to count what the sweep reads.</summary>
    private static ServiceProvider Services(string connectionString, string prefix, ITableRowStore rows)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TablePrefix"] = prefix,
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(TimeProvider.System)
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new BenchEnvironment())
            .AddFusionBotStorage()
            .AddSingleton<ITableRowStore>(rows)
            .AddFusionBotOutbox()
            .AddScoped<IOutboxHandler, NoOpHandler>();
        services.AddOptions<SlaOptions>();
        return services.BuildServiceProvider();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int[] Sizes(string[] args, string name, int[] fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length
            ? [.. args[index + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]
            : fallback;
    }

    private sealed record Result(int Open, int Due, TimeSpan Sweep, StoreCounts Counts, TimeSpan Idle, StoreCounts IdleCounts);

    /// <summary>Does nothing, so the sweep's own store work is what is timed.</summary>
    private sealed class NoOpHandler : IOutboxHandler
    {
        public string Kind => BenchKind;

        public Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class BenchEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "SweepBenchmark";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
