using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FusionBot.Features.Review;
using FusionBot.Protocol.Models;
using Activity = FusionBot.Protocol.Models.Activity;
using FusionBot.TestKit;
using FusionBot.TestKit.Graph;

namespace FusionBot.Bench;

/// <summary>What one run measured: the approve latencies (ms), the failures, and the machine around it.</summary>
public sealed record RunResult(
    IReadOnlyList<double> LatenciesMs, int Errors, IReadOnlyList<string> ErrorSamples, int GraphChecks, double WallSeconds,
    double BotCpuMsPerApprove, double OtherCpuPercent, string LoadBefore, string LoadAfter);

/// <summary>
/// One run: a fresh FusionBot process and SQLite file, a fake Graph whose checkMemberGroups takes <c>graphDelay</c>,
/// a recording connector; N Tier 2 requests seeded through the bot itself, then N approves timed send → HTTP answer.
/// </summary>
public sealed class ApproveRun(string appDll, int requests, int warmUp, int concurrency, TimeSpan graphDelay)
{
    private const string ReviewerGroup = "f0000000-0000-0000-0000-0000bench0001";
    private const string Tier2Channel = "19:bench-tier2@thread.tacv2";
    private static readonly TeamsUser Admin = new("29:bench-admin", "Ada Admin", "c3333333-3333-3333-3333-333333333333");
    private static readonly TeamsUser Reviewer = new("29:bench-reviewer", "Gia Group", "f1111111-1111-1111-1111-111111111111");
    private static readonly int[] BusyFields = [1, 2, 3, 6, 7, 8];
    private static readonly string[] Tier2Answers = ["Power Apps", "My department", "30", "SharePoint", "Internal", "None", "confirm"];

    public async Task<RunResult> ExecuteAsync(int run)
    {
        var work = Directory.CreateTempSubdirectory("fusionbot-approve-bench-");
        await using var graph = await FakeGraphServer.StartAsync();
        graph.CheckMemberGroupsDelay = graphDelay;
        graph.AddGroupMember(Reviewer.AadObjectId, ReviewerGroup);
        await using var connector = await RecordingConnector.StartAsync();
        var environment = new Dictionary<string, string>
        {
            // No MicrosoftAppId: inbound authentication is off. The password only makes Graph use client credentials
            // (against the fake token endpoint) instead of a managed identity.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["MicrosoftAppPassword"] = "bench-fake-graph-credential",
            ["Storage__EmbeddedPath"] = Path.Combine(work.FullName, "fusionbot.db"),
            ["Governance__AdminIds__0"] = Admin.AadObjectId,
            ["Review__ReviewerGroupId"] = ReviewerGroup,
            // Every approve asks Graph: nothing is served from the membership cache.
            ["Review__MembershipCacheDuration"] = "00:00:00",
            // One maker and one reviewer drive every request: the abuse limits would measure themselves, not approvals.
            ["RateLimit__PermitsPerPeriod"] = "1000000",
            ["Intake__MaxRequestsPerDay"] = "1000000",
        };
        foreach (var (key, value) in graph.Configuration)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        try
        {
            await using var bot = await BotProcess.StartAsync(appDll, environment, Path.Combine(work.FullName, "fusionbot.log"));
            using var http = new HttpClient { BaseAddress = new Uri(bot.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            var activities = new TeamsActivityBuilder(connector.ServiceUrl);
            Console.WriteLine($"run {run}: FusionBot pid {bot.Id} on {bot.BaseUrl}, Graph {graph.BaseUrl} (checkMemberGroups +{graphDelay.TotalMilliseconds:F0} ms), log {bot.LogPath}");

            var ids = await SeedAsync(http, activities, connector, requests + warmUp);
            Console.WriteLine($"run {run}: {ids.Count} Tier 2 requests in review, their cards posted");

            await ApproveAllAsync(http, activities, ids[..warmUp]);
            var checksBefore = GraphChecks(graph);
            var loadBefore = LoadAverage();
            var cpuBefore = bot.CpuTime;
            var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var machineBefore = MachineBusyMs();
            var clock = Stopwatch.StartNew();
            var (latencies, errors) = await ApproveAllAsync(http, activities, ids[warmUp..]);
            clock.Stop();
            var cpu = bot.CpuTime - cpuBefore;
            var own = Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore;
            // Everything else on the machine (other agents' builds), in % of one core; this process (client and fakes) and the bot excluded.
            var other = (MachineBusyMs() - machineBefore - cpu.TotalMilliseconds - own.TotalMilliseconds) / clock.Elapsed.TotalMilliseconds * 100;
            return new RunResult(latencies, errors.Count, [.. errors.Take(5)], GraphChecks(graph) - checksBefore, clock.Elapsed.TotalSeconds,
                cpu.TotalMilliseconds / requests, Math.Max(0, other), loadBefore, LoadAverage());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private async Task<List<string>> SeedAsync(HttpClient http, TeamsActivityBuilder activities, RecordingConnector connector, int count)
    {
        await TurnAsync(http, activities.ChannelMessageMentioningBot("register tier 2", Admin, channelId: Tier2Channel));
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var maker = new TeamsUser($"29:bench-maker-{i}", $"Maker {i}", $"a0000000-0000-0000-0000-{i:D12}");
            foreach (var text in (string[])["new request", $"Bench app {i}", "Track expenses", .. Tier2Answers])
            {
                await TurnAsync(http, activities.PersonalMessage(text, maker));
            }
        });

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var ids = connector.Calls.Where(c => c.Route == ConnectorRoute.CreateConversation && c.Succeeded)
                .SelectMany(c => ApproveRequestIds(c.Json)).Distinct(StringComparer.Ordinal).ToList();
            if (ids.Count >= count)
            {
                return ids;
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"Only {ids.Count} of {count} review cards were posted.");
            }

            await Task.Delay(200);
        }
    }

    private async Task<(List<double> LatenciesMs, List<string> Errors)> ApproveAllAsync(
        HttpClient http, TeamsActivityBuilder activities, IReadOnlyList<string> ids)
    {
        var latencies = new List<double>(ids.Count);
        var errors = new List<string>();
        var channel = new ConversationAccount
        {
            Id = Tier2Channel,
            ConversationType = ConversationTypes.Channel,
            IsGroup = true,
            TenantId = activities.TenantId,
        };
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (id, cancellationToken) =>
        {
            var click = activities.AdaptiveCardAction(ReviewVerbs.Approve, new JsonObject { [ReviewVerbs.RequestIdKey] = id }, Reviewer, channel);
            var clock = Stopwatch.StartNew();
            string? error;
            try
            {
                using var response = await http.PostActivityAsync(click, bearerToken: null, cancellationToken: cancellationToken);
                var body = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken) : null;
                clock.Stop();
                error = CheckAnswer(id, (int)response.StatusCode, body);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                clock.Stop();
                error = $"{id}: {exception.GetType().Name} {exception.Message}";
            }

            lock (latencies)
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                if (error is not null)
                {
                    errors.Add(error);
                }
            }
        });
        return (latencies, errors);
    }

    /// <summary>The answer must be the updated card: 200, an Adaptive Card, and no Approve button left on it.</summary>
    private static string? CheckAnswer(string id, int httpStatus, JsonObject? body)
    {
        if (httpStatus != 200 || body is null)
        {
            return $"{id}: HTTP {httpStatus}";
        }

        var status = body["statusCode"]?.GetValue<int>();
        var type = body["type"]?.GetValue<string>();
        if (status != 200 || type != AdaptiveCardInvokeResponse.CardType || body["value"] is not JsonObject card)
        {
            return $"{id}: statusCode {status}, type {type}: {body["value"]?.ToJsonString()}";
        }

        return ApproveRequestIds(card).Any() ? $"{id}: the answered card still offers Approve" : null;
    }

    private static async Task TurnAsync(HttpClient http, Activity activity)
    {
        using var response = await http.PostActivityAsync(activity, bearerToken: null);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The bot answered {(int)response.StatusCode} to \"{activity.Text}\" from {activity.From?.Id}.");
        }
    }

    /// <summary>The requestId of every Action.Execute with verb review.approve in a card or a create-conversation body.</summary>
    private static IEnumerable<string> ApproveRequestIds(JsonNode? node) => node switch
    {
        JsonObject o when o["verb"]?.GetValueKind() == System.Text.Json.JsonValueKind.String && o["verb"]!.GetValue<string>() == ReviewVerbs.Approve
            && o["data"]?[ReviewVerbs.RequestIdKey]?.GetValue<string>() is { } id => [id],
        JsonObject o => o.SelectMany(p => ApproveRequestIds(p.Value)),
        JsonArray a => a.SelectMany(ApproveRequestIds),
        _ => [],
    };

    private static int GraphChecks(FakeGraphServer graph) =>
        graph.Calls.Count(c => c.Path.EndsWith("/checkMemberGroups", StringComparison.Ordinal));

    /// <summary>Busy CPU time of the whole machine (all cores, user + nice + system + irq + softirq + steal) from /proc/stat.</summary>
    private static double MachineBusyMs()
    {
        if (!File.Exists("/proc/stat"))
        {
            return 0;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = BusyFields.Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
        return ticks * 10.0; // USER_HZ is 100 on Linux
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Format(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
