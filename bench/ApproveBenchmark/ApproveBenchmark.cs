using System.Globalization;

namespace FusionBot.Bench;

/// <summary>
/// How fast a reviewer's Approve (adaptiveCard/action invoke) is answered when Microsoft Graph is slow: the published
/// FusionBot on Kestrel, the reviewer authorised only by a group that Graph (a loopback fake answering after
/// <c>--graph-delay-ms</c>) must confirm on every click. Prints each run and the medians as markdown.
/// Usage: dotnet run -c Release --project bench/ApproveBenchmark -- --app path/FusionBot.dll
///        [--requests 200] [--warm-up 10] [--concurrency 10] [--graph-delay-ms 200] [--runs 3]
/// </summary>
public static class ApproveBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        var app = Option(args, "--app") ?? throw new ArgumentException("--app path/to/published/FusionBot.dll is required");
        var requests = Number(args, "--requests", 200);
        var warmUp = Number(args, "--warm-up", 10);
        var concurrency = Number(args, "--concurrency", 10);
        var graphDelay = TimeSpan.FromMilliseconds(Number(args, "--graph-delay-ms", 200));
        var runs = Number(args, "--runs", 3);
        Console.WriteLine($"{Environment.ProcessorCount} cores; .NET {Environment.Version}; {requests} approves per run ({warmUp} more first as warm-up), " +
            $"{concurrency} at a time; checkMemberGroups answers after {graphDelay.TotalMilliseconds:F0} ms; membership cache off");

        var results = new List<RunResult>();
        for (var run = 1; run <= runs; run++)
        {
            var result = await new ApproveRun(app, requests, warmUp, concurrency, graphDelay).ExecuteAsync(run);
            results.Add(result);
            Console.WriteLine($"run {run}: p99 {ApproveRun.Format(Percentile(result.LatenciesMs, 99))} ms, errors {result.Errors}, " +
                $"Graph checks {result.GraphChecks}, other CPU {result.OtherCpuPercent:F0} %, load {result.LoadBefore} → {result.LoadAfter}");
            foreach (var sample in result.ErrorSamples)
            {
                Console.WriteLine($"  error: {sample}");
            }
        }

        Console.WriteLine();
        Console.WriteLine("| run | approves | errors | Graph checks | p50 ms | p95 ms | p99 ms | max ms | approves/s | bot CPU ms/approve | other CPU % | load avg before → after |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i + 1} | {r.LatenciesMs.Count} | {r.Errors} | {r.GraphChecks} | {Percentile(r.LatenciesMs, 50):F1} | {Percentile(r.LatenciesMs, 95):F1} | " +
                $"{Percentile(r.LatenciesMs, 99):F1} | {r.LatenciesMs.Max():F1} | {r.LatenciesMs.Count / r.WallSeconds:F1} | {r.BotCpuMsPerApprove:F2} | {r.OtherCpuPercent:F0} | {r.LoadBefore} → {r.LoadAfter} |"));
        }

        var p99 = Median(results.Select(r => Percentile(r.LatenciesMs, 99)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| **median** | | {results.Sum(r => r.Errors)} (total) | | {Median(results.Select(r => Percentile(r.LatenciesMs, 50))):F1} | " +
            $"{Median(results.Select(r => Percentile(r.LatenciesMs, 95))):F1} | **{p99:F1}** | {Median(results.Select(r => r.LatenciesMs.Max())):F1} | " +
            $"{Median(results.Select(r => r.LatenciesMs.Count / r.WallSeconds)):F1} | {Median(results.Select(r => r.BotCpuMsPerApprove)):F2} | {Median(results.Select(r => r.OtherCpuPercent)):F0} | |"));
        var met = p99 < 1000 && results.All(r => r.Errors == 0);
        Console.WriteLine();
        Console.WriteLine($"goal (p99 < 1 s, no errors): {(met ? "met" : "NOT met")}");
        return met ? 0 : 1;
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(IReadOnlyList<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int Number(string[] args, string name, int fallback) =>
        Option(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
