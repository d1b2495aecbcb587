using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FusionBot.EndToEndTests.Infrastructure;

/// <summary>
/// The Microsoft 365 Agents Playground (npm) as the Teams side: it sends activities to the bot, hosts the
/// connector the bot answers to and serves the web UI. Runs offline with the mock Teams context of
/// playground/.m365agentsplayground.yml and, through a preload, only on 127.0.0.1.
/// </summary>
internal sealed partial class AgentsPlayground : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ChildProcess _process;
    private readonly string _workDirectory;

    private AgentsPlayground(ChildProcess process, string workDirectory, Uri baseUrl)
    {
        _process = process;
        _workDirectory = workDirectory;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public string Output => _process.Output;

    /// <param name="artifacts">The test's artefacts folder, for the Playground's logs.</param>
    public static async Task<AgentsPlayground> StartAsync(Uri botEndpoint, string artifacts)
    {
        // The port is picked by binding port 0 and releasing it; if another process takes it meanwhile the
        // Playground silently moves to a random port (and its connector URL would be wrong): start again.
        var failures = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var playground = Launch(botEndpoint, ChildProcess.FreeLoopbackPort(), artifacts);
            try
            {
                var listening = await playground._process.WaitForOutputAsync(ListeningOn(), StartTimeout, "The Agents Playground");
                if (listening.Groups["port"].Value == playground.BaseUrl.Port.ToString(CultureInfo.InvariantCulture))
                {
                    await playground._process.WaitUntilAnsweringAsync(new Uri(playground.BaseUrl, "/_internal/v1/config"), StartTimeout, "The Agents Playground");
                    return playground;
                }

                failures.Add($"port {playground.BaseUrl.Port} was taken: {listening.Value}");
                await playground.DisposeAsync();
            }
            catch
            {
                await playground.DisposeAsync();
                throw;
            }
        }

        throw new InvalidOperationException($"The Agents Playground could not get a port: {string.Join("; ", failures)}");
    }

    private static AgentsPlayground Launch(Uri botEndpoint, int portNumber, string artifacts)
    {
        // Its own folder, so that no other .m365agentsplayground.yml in a working folder is picked up.
        var workDirectory = Directory.CreateTempSubdirectory("playground-e2e-").FullName;
        var config = Path.Combine(workDirectory, ".m365agentsplayground.yml");
        File.Copy(Prerequisites.PlaygroundConfig, config);

        var port = portNumber.ToString(CultureInfo.InvariantCulture);
        var process = ChildProcess.Start(
            "playground", "node",
            [
                "-r", Prerequisites.LoopbackPreload, Prerequisites.PlaygroundCli,
                "-e", botEndpoint.ToString(), "-c", "msteams", "-p", port,
                // The default service URL says localhost, which may resolve to ::1.
                "--service-url", $"http://127.0.0.1:{port}/_connector", "--disable-telemetry",
            ],
            workDirectory,
            new Dictionary<string, string?>
            {
                ["APPLICATION_INSIGHTS_NO_STATSBEAT"] = "true",
                ["TEAMSAPPTESTER_BROWSER"] = "none",
                ["M365_AGENTS_PLAYGROUND_CONFIG_PATH"] = config,
                // Startup errors are written only there.
                ["M365_AGENTS_PLAYGROUND_LOGFILE"] = Path.Combine(artifacts, "playground-internal.log"),
            },
            artifacts);
        return new AgentsPlayground(process, workDirectory, new Uri($"http://127.0.0.1:{port}"));
    }

    [GeneratedRegex(@"Listening on (?<port>\d+)")]
    private static partial Regex ListeningOn();

    /// <summary>
    /// Presses a card's Action.Execute button as <paramref name="user"/>, through the API the Playground's own UI
    /// uses (the UI acts only as the current user); the Playground sends the bot an adaptiveCard/action invoke.
    /// </summary>
    /// <returns>The invoke response the bot gave, as the Playground passes it on.</returns>
    public async Task<JsonObject> PressCardButtonAsync(MockTeams.User user, StreamedMessage message, JsonObject executeAction)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var invoke = new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["value"] = new JsonObject
            {
                ["action"] = new JsonObject
                {
                    ["type"] = "Action.Execute",
                    ["verb"] = executeAction["verb"]?.DeepClone(),
                    ["data"] = executeAction["data"]?.DeepClone() ?? new JsonObject(),
                },
            },
            ["from"] = new JsonObject { ["id"] = user.Id },
            ["conversation"] = new JsonObject { ["id"] = message.ConversationId },
            ["replyToId"] = message.Id,
        };
        using var response = await http.PostAsJsonAsync("/_conversation/v1/invoke", invoke);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"The Playground refused the invoke ({(int)response.StatusCode}): {body}");
        return JsonNode.Parse(body)?.AsObject() ?? throw new InvalidOperationException($"The Playground answered the invoke with no JSON: {body}");
    }

    /// <summary>
    /// Has the Playground send the bot one of its mock Teams events (<c>botAdded</c>, <c>install</c>, <c>userAdded</c>…)
    /// in <paramref name="conversationId"/>, as its UI's "mock an activity" menu does: the Playground builds the
    /// activity from the mock context, then delivers it as Teams would.
    /// </summary>
    /// <returns>The activity the Playground sent.</returns>
    public async Task<JsonObject> SendEventAsync(string conversationId, string type)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var template = await http.GetFromJsonAsync<JsonObject>(
            $"/_internal/v1/customActivities/template?conversationId={Uri.EscapeDataString(conversationId)}&type={Uri.EscapeDataString(type)}")
            ?? throw new InvalidOperationException($"The Playground has no {type} template for {conversationId}.");
        using var response = await http.PostAsJsonAsync("/_internal/v1/customActivities", template);
        Assert.True(response.IsSuccessStatusCode, $"The Playground refused the {type} activity ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        return template;
    }

    /// <summary>
    /// Sends what the UI's "Mock an Activity → Custom activity" sends: the Playground's template for
    /// <paramref name="conversationId"/> with the top-level fields of <paramref name="edits"/> put over it.
    /// </summary>
    /// <returns>The activity the Playground sent.</returns>
    public async Task<JsonObject> SendCustomActivityAsync(string conversationId, JsonObject edits)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var activity = await http.GetFromJsonAsync<JsonObject>($"/_internal/v1/customActivities/template?conversationId={Uri.EscapeDataString(conversationId)}")
            ?? throw new InvalidOperationException($"The Playground has no custom activity template for {conversationId}.");
        foreach (var (name, value) in edits)
        {
            activity[name] = value?.DeepClone();
        }

        using var response = await http.PostAsJsonAsync("/_internal/v1/customActivities", activity);
        Assert.True(response.IsSuccessStatusCode, $"The Playground refused the custom activity ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        return activity;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}
