using System.Globalization;

namespace FusionBot.EndToEndTests.Infrastructure;

/// <summary>
/// The Microsoft 365 Agents Playground (npm) as the Teams side: it sends activities to the bot, hosts the
/// connector the bot answers to and serves the web UI. Runs offline with the mock Teams context of
/// playground/.m365agentsplayground.yml and, through a preload, only on 127.0.0.1.
/// </summary>
internal sealed class AgentsPlayground : IAsyncDisposable
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

    public static async Task<AgentsPlayground> StartAsync(Uri botEndpoint)
    {
        // Its own folder, so that no other .m365agentsplayground.yml in a working folder is picked up.
        var workDirectory = Directory.CreateTempSubdirectory("playground-e2e-").FullName;
        var config = Path.Combine(workDirectory, ".m365agentsplayground.yml");
        File.Copy(Prerequisites.PlaygroundConfig, config);

        var port = ChildProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
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
                ["M365_AGENTS_PLAYGROUND_LOGFILE"] = Path.Combine(TestPaths.Artifacts, "playground-internal.log"),
            });
        var playground = new AgentsPlayground(process, workDirectory, baseUrl);
        try
        {
            await process.WaitUntilAnsweringAsync(new Uri(baseUrl, "/_internal/v1/config"), StartTimeout, "The Agents Playground");
            return playground;
        }
        catch
        {
            await playground.DisposeAsync();
            throw;
        }
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
