using System.Diagnostics;
using System.Globalization;
using FusionBot.TestKit.Azurite;

namespace FusionBot.Bench;

/// <summary>
/// How the CoE's commands grow with the tenant: for each store and each number of requests, seeds one tenant
/// (<see cref="PortfolioSeeder"/>), then sends each command as one turn over HTTP into the real app and prints the
/// median time, the storage round trips it made and the memory it took above the idle bot. With --backfill, then
/// seeds two more tenants of the same size as earlier versions left them and times each one's one-time back-fill.
/// Usage: dotnet run -c Release --project bench/ScaleBenchmark -- [--sizes 1000,10000,50000] [--stores sqlite,tables] [--runs 3] [--backfill]
/// </summary>
public static class ScaleBenchmark
{
    private static readonly string[] Commands =
        ["portfolio", "portfolio tier 3", "portfolio overdue", "digest preview", "my requests", "status FR-000001"];

    public static async Task<int> Main(string[] args)
    {
        var sizes = Arg(args, "--sizes", "1000,10000,50000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var stores = Arg(args, "--stores", "sqlite,tables").Split(',');
        var runs = int.Parse(Arg(args, "--runs", "3"), CultureInfo.InvariantCulture);
        var measureBackfill = args.Contains("--backfill");
        var backfills = new List<string>();
        Console.WriteLine($"{Environment.ProcessorCount} cores; .NET {Environment.Version}; {runs} runs per command");
        var results = new List<Result>();
        foreach (var store in stores)
        {
            var azurite = store == "tables" ? await AzuriteTableServer.GetSharedAsync() : null;
            foreach (var size in sizes)
            {
                await using var bot = await InProcessBot.StartAsync(azurite);
                var seeding = Stopwatch.StartNew();
                await bot.SeedAsync(size);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{store}: seeded {size:N0} requests in {seeding.Elapsed.TotalSeconds:F0} s"));
                results.AddRange(await MeasureAsync(bot, store, size, runs));
                if (measureBackfill)
                {
                    // After the commands: the other tenants' rows share the tables, which azurite scans whole.
                    backfills.Add(await MeasureBackfillAsync(bot, store, size, SeedLayout.IndexInRequestsTable, "report index in the requests table"));
                    backfills.Add(await MeasureBackfillAsync(bot, store, size, SeedLayout.BeforeIndex, "no report index (history only)"));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("| store | requests | command | median ms | round trips | rows read | peak MB above idle |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => (r.Store, r.Size, r.Command)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Store} | {group.Key.Size:N0} | `{group.Key.Command}` | {Median(group.Select(r => r.Time.TotalMilliseconds)):F0} | " +
                $"{Median(group.Select(r => (double)r.Counts.Queries + r.Counts.PointCalls)):F0} | {Median(group.Select(r => (double)r.Counts.RowsRead)):F0} | " +
                $"{Median(group.Select(r => r.PeakBytes / 1_048_576.0)):F0} |"));
        }

        if (backfills.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| store | requests | stored as | back-fill s | round trips | rows read |");
            Console.WriteLine("|---|---:|---|---:|---:|---:|");
            backfills.ForEach(Console.WriteLine);
        }

        return 0;
    }

    /// <summary>Seeds a tenant in <paramref name="layout"/> and times its back-fill; returns the table line.</summary>
    private static async Task<string> MeasureBackfillAsync(InProcessBot bot, string store, int size, SeedLayout layout, string stored)
    {
        var tenantId = "backfill-" + layout.ToString().ToLowerInvariant();
        await bot.SeedAsync(tenantId, size, layout);
        var before = bot.Rows.Snapshot();
        var started = Stopwatch.GetTimestamp();
        var changed = await bot.BackfillAsync(tenantId);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var counts = bot.Rows.Snapshot() - before;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store} {size:N0} back-fill ({stored}): {elapsed.TotalSeconds:F1} s, {changed} rewritten, {counts.Queries + counts.PointCalls} round trips"));
        return string.Create(CultureInfo.InvariantCulture,
            $"| {store} | {size:N0} | {stored} | {elapsed.TotalSeconds:F1} | {counts.Queries + counts.PointCalls:N0} | {counts.RowsRead:N0} |");
    }

    private static async Task<List<Result>> MeasureAsync(InProcessBot bot, string store, int size, int runs)
    {
        // One unmeasured pass first, so the first run does not time the JIT.
        foreach (var command in Commands)
        {
            var warmUp = Stopwatch.StartNew();
            await bot.SayAsAdminAsync(command);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{store} {size:N0} {command}: warm-up {warmUp.ElapsedMilliseconds} ms"));
        }

        var results = new List<Result>();
        for (var run = 1; run <= runs; run++)
        {
            foreach (var command in Commands)
            {
                results.Add(await MeasureOneAsync(store, size, command, bot, () => bot.SayAsAdminAsync(command)));
            }

            // Prepared in the background: timed from the command to the link's arrival (the file is reused until a
            // request changes, so later runs time the reuse; the first run of each size prepares it).
            Uri? link = null;
            results.Add(await MeasureOneAsync(store, size, "portfolio export (until the link)", bot, async () => link = await bot.ExportLinkAsync()));
            results.Add(await MeasureOneAsync(store, size, "GET export CSV", bot, () => bot.DownloadAsync(link!)));
        }

        return results;
    }

    private static async Task<Result> MeasureOneAsync(string store, int size, string command, InProcessBot bot, Func<Task> turn)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var memory = new PeakMemory();
        var before = bot.Rows.Snapshot();
        var started = Stopwatch.GetTimestamp();
        await turn();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var result = new Result(store, size, command, elapsed, bot.Rows.Snapshot() - before, memory.PeakAboveStart);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store} {size:N0} {command}: {elapsed.TotalMilliseconds:F0} ms, {result.Counts.Queries} range reads ({result.Counts.RowsRead} rows), " +
            $"{result.Counts.PointCalls} point calls, peak +{result.PeakBytes / 1_048_576.0:F0} MB"));
        return result;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private sealed record Result(string Store, int Size, string Command, TimeSpan Time, StoreCounts Counts, long PeakBytes);

    /// <summary>Samples the process's working set while a command runs: its peak above the working set at the start.</summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly long _start = Environment.WorkingSet;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampler;
        private long _peak;

        public PeakMemory()
        {
            _peak = _start;
            _sampler = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    _peak = Math.Max(_peak, Environment.WorkingSet);
                    await Task.Delay(5, CancellationToken.None);
                }
            });
        }

        public long PeakAboveStart => Math.Max(0, Math.Max(_peak, Environment.WorkingSet) - _start);

        public void Dispose()
        {
            _stop.Cancel();
            _sampler.Wait();
            _stop.Dispose();
        }
    }
}
