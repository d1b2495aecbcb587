using FusionBot.Protocol.Models;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.Bench;

/// <summary>
/// The real app in process, as the functional tests host it (authentication on, tokens from a test key, replies to a
/// recording connector on loopback), over a fresh SQLite file or a fresh table prefix in azurite, with the row store
/// wrapped so every storage round trip is counted.
/// </summary>
internal sealed class InProcessBot : IAsyncDisposable
{
    private const string TenantId = TeamsActivityBuilder.DefaultTenantId;
    private static readonly TeamsUser Admin = new("29:admin-1", "Ada Admin", "c3333333-3333-3333-3333-333333333333");

    private readonly FakeBotIdentity _identity;
    private readonly RecordingConnector _connector;
    private readonly WebApplicationFactory<Program> _factory;
    private readonly HttpClient _client;
    private readonly TeamsActivityBuilder _activities;
    private readonly string? _embeddedPath;

    private InProcessBot(FakeBotIdentity identity, RecordingConnector connector, WebApplicationFactory<Program> factory, string? embeddedPath)
    {
        _identity = identity;
        _connector = connector;
        _factory = factory;
        _client = factory.CreateClient();
        _activities = new TeamsActivityBuilder(connector.ServiceUrl);
        _embeddedPath = embeddedPath;
        Rows = (CountingRowStore)factory.Services.GetRequiredService<ITableRowStore>();
    }

    public CountingRowStore Rows { get; }

    public static async Task<InProcessBot> StartAsync(AzuriteTableServer? azurite)
    {
        var identity = await FakeBotIdentity.StartAsync();
        var connector = await RecordingConnector.StartAsync();
        var settings = new Dictionary<string, string?>(identity.Configuration)
        {
            ["Governance:AdminIds:0"] = Admin.AadObjectId,
            ["Links:SigningKey"] = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray()),
            ["Links:PublicBaseUrl"] = "https://fusionbot.example/",
            ["BotFramework:AllowedServiceUrls:0"] = connector.ServiceUrl,
            ["Logging:LogLevel:Default"] = "Warning",
            // One admin sends every command back to back: the per-user rate limit would measure itself.
            ["RateLimit:PermitsPerPeriod"] = "1000000",
        };
        string? embeddedPath = null;
        if (azurite is null)
        {
            embeddedPath = Path.Combine(Path.GetTempPath(), $"fusionbot-scale-{Guid.NewGuid():N}.db");
            settings["Storage:EmbeddedPath"] = embeddedPath;
        }
        else
        {
            settings["Storage:ConnectionString"] = azurite.ConnectionString;
            settings["Storage:TablePrefix"] = AzuriteTableServer.NewTablePrefix();
        }

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSolutionRelativeContentRoot("src/FusionBot");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
            {
                var original = services.Last(d => d.ServiceType == typeof(ITableRowStore));
                services.Remove(original);
                services.AddSingleton<ITableRowStore>(provider => new CountingRowStore(
                    (ITableRowStore)(original.ImplementationInstance ?? original.ImplementationFactory!(provider))));
            });
        });
        return new InProcessBot(identity, connector, factory, embeddedPath);
    }

    public Task SeedAsync(int count) => new PortfolioSeeder(Rows).SeedAsync(TenantId, count, DateTimeOffset.UtcNow);

    /// <summary>Another tenant, laid out as an earlier version left it, for the one-time back-fill.</summary>
    public Task SeedAsync(string tenantId, int count, SeedLayout layout) => new PortfolioSeeder(Rows).SeedAsync(tenantId, count, DateTimeOffset.UtcNow, layout);

    /// <summary>The tenant's one-time back-fill, as the app runs it at start or before the tenant's first report.</summary>
    public Task<int> BackfillAsync(string tenantId) => _factory.Services.GetRequiredService<RequestIndexBackfill>().RunAsync(tenantId, CancellationToken.None);

    /// <summary>One message turn from the CoE admin's 1:1 chat; the bot has answered when the HTTP call returns.</summary>
    public async Task<IReadOnlyList<Activity>> SayAsAdminAsync(string text)
    {
        var activity = _activities.PersonalMessage(text, Admin);
        var before = _connector.Calls.Count;
        using var response = await _client.PostActivityAsync(activity, _identity.CreateInboundToken(activity.ServiceUrl!));
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"'{text}': /api/messages answered {(int)response.StatusCode}");
        }

        return [.. _connector.Calls.Skip(before).Where(c => c.ConversationId == activity.Conversation!.Id && c.Activity is not null).Select(c => c.Activity!)];
    }

    /// <summary><c>portfolio export</c>, then the link the bot sends once the file is prepared in the background.</summary>
    public Task<Uri> ExportLinkAsync() => ExportLinkCards.AfterAsync(_connector, () => SayAsAdminAsync("portfolio export"), TimeSpan.FromMinutes(10));

    /// <summary>Downloads the export, reading the body as a stream as a browser would, without keeping it.</summary>
    public async Task DownloadAsync(Uri link)
    {
        using var response = await _client.GetAsync(link.PathAndQuery, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        await body.CopyToAsync(Stream.Null);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _connector.DisposeAsync();
        await _identity.DisposeAsync();
        if (_embeddedPath is not null)
        {
            foreach (var file in new[] { _embeddedPath, _embeddedPath + "-wal", _embeddedPath + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
