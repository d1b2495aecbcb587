using System.Globalization;

namespace FusionBot.EndToEndTests.Infrastructure;

/// <summary>
/// The built bot run as its own process on Kestrel, with zero Azure configuration: no app id (authentication
/// off, allowed outside Production), the embedded SQLite store in a temporary folder.
/// </summary>
internal sealed class FusionBotServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ChildProcess _process;
    private readonly string _dataDirectory;

    private FusionBotServer(ChildProcess process, string dataDirectory, Uri baseUrl)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public Uri MessagesEndpoint => new(BaseUrl, "/api/messages");

    public string Output => _process.Output;

    /// <param name="settings">Configuration as environment variables (e.g. <c>Review__ReviewerIds__0</c>).</param>
    /// <param name="artifacts">The test's artefacts folder, for the bot's log.</param>
    public static async Task<FusionBotServer> StartAsync(IReadOnlyDictionary<string, string> settings, string artifacts)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("fusionbot-e2e-").FullName;
        var port = ChildProcess.FreeLoopbackPort();
        var baseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            // Whatever the machine has configured, this run talks to no Azure service.
            ["MicrosoftAppId"] = null,
            ["MicrosoftAppPassword"] = null,
            ["Storage__ConnectionString"] = null,
            ["Storage__TableServiceUri"] = null,
            ["Storage__EmbeddedPath"] = Path.Combine(dataDirectory, "fusionbot.db"),
            // A scripted user types faster than a person: the per-user limits are not what these tests are about.
            ["RateLimit__PermitsPerPeriod"] = "10000",
            ["Intake__MaxRequestsPerDay"] = "10000",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var process = ChildProcess.Start(
            "fusionbot", "dotnet", [TestPaths.FusionBotDll, "--urls", baseUrl.ToString().TrimEnd('/')],
            Path.GetDirectoryName(TestPaths.FusionBotDll)!, environment, artifacts);
        var server = new FusionBotServer(process, dataDirectory, baseUrl);
        try
        {
            await process.WaitUntilAnsweringAsync(new Uri(baseUrl, "/healthz"), StartTimeout, "FusionBot");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}
