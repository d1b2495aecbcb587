using System.Text.Json.Nodes;
using FusionBot.Protocol.Models;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Infrastructure;

/// <summary>
/// FusionBot as Teams sees it: the real app behind /api/messages with authentication ON (tokens signed by a test key,
/// metadata and token endpoint on loopback), replies landing at a recording connector on loopback, and a store that
/// outlives <see cref="RestartAsync"/>: an SQLite file, or real Table Storage in azurite.
/// </summary>
public sealed class BotHost : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly SharedFakes _shared;
    private WebApplicationFactory<Program> _factory;
    private HttpClient _client;

    public FakeBotIdentity Identity => _shared.Identity;
    public RecordingConnector Connector => _shared.Connector;
    public TeamsActivityBuilder Activities { get; }

    private BotHost(SharedFakes shared, Dictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        _shared = shared;
        Activities = new TeamsActivityBuilder(shared.Connector.ServiceUrl);
        _settings = settings;
        _services = services;
        (_factory, _client) = CreateApp();
    }

    public IServiceProvider Services => _factory.Services;

    /// <param name="tableStorage">The shared azurite server for a real Table Storage run; null for the embedded SQLite file.</param>
    /// <param name="services">Replaces registrations after the app's own, e.g. a store that fails, for what settings cannot provoke.</param>
    public static async Task<BotHost> StartAsync(
        AzuriteTableServer? tableStorage = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        (await StartManyAsync(1, tableStorage, settings, services))[0];

    /// <summary>
    /// <paramref name="count"/> instances of the app, as behind a load balancer: one store, one bot identity and one
    /// recording connector shared by all, each with its own background workers. Dispose every one; the shared fakes
    /// go with the last.
    /// </summary>
    public static async Task<IReadOnlyList<BotHost>> StartManyAsync(
        int count, AzuriteTableServer? tableStorage = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var identity = await FakeBotIdentity.StartAsync();
        var connector = await RecordingConnector.StartAsync();
        var all = new Dictionary<string, string?>(identity.ConfigurationAllowing(connector.ServiceUrl))
        {
            // Scripted users type faster than people and create many requests; the limits' own tests set them back.
            ["RateLimit:PermitsPerPeriod"] = "10000",
            ["Intake:MaxRequestsPerDay"] = "10000",
        };
        string? embeddedPath = null;
        if (tableStorage is null)
        {
            embeddedPath = Path.Combine(Path.GetTempPath(), $"fusionbot-test-{Guid.NewGuid():N}.db");
            all["Storage:EmbeddedPath"] = embeddedPath;
        }
        else
        {
            all["Storage:ConnectionString"] = tableStorage.ConnectionString;
            all["Storage:TablePrefix"] = AzuriteTableServer.NewTablePrefix();
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var shared = new SharedFakes(identity, connector, embeddedPath, count);
        var hosts = new List<BotHost>(count);
        for (var i = 0; i < count; i++)
        {
            hosts.Add(new BotHost(shared, all, services));
        }

        return hosts;
    }

    private (WebApplicationFactory<Program>, HttpClient) CreateApp()
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            // UseSetting, not ConfigureAppConfiguration: Program reads some settings while it registers services,
            // before configuration callbacks would run.
            foreach (var (key, value) in _settings)
            {
                builder.UseSetting(key, value);
            }

            if (_services is not null)
            {
                builder.ConfigureTestServices(_services);
            }
        });
        return (factory, factory.CreateClient());
    }

    /// <summary>Stops the app and starts a fresh one on the same store: what a restart or another instance sees.</summary>
    public async Task RestartAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        (_factory, _client) = CreateApp();
    }

    /// <summary>A client for the app, to send what <see cref="PostAsync"/> would not (no token, a bad one, bad JSON).</summary>
    public HttpClient CreateClient(bool followRedirects = true) =>
        _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = followRedirects });

    /// <summary>Posts an activity with a valid Bot Framework token for its serviceUrl.</summary>
    public Task<HttpResponseMessage> PostAsync(Activity activity) =>
        _client.PostActivityAsync(activity, Identity.CreateInboundToken(activity.ServiceUrl!));

    /// <summary>
    /// The maker types <paramref name="text"/> in the 1:1 chat; returns what the bot sent back to that conversation
    /// during the turn (message turns are answered before the HTTP response).
    /// </summary>
    public Task<IReadOnlyList<Activity>> SayAsync(string text, TeamsUser? user = null) =>
        TurnAsync(Activities.PersonalMessage(text, user));

    /// <summary>The maker presses an Action.Submit button in the 1:1 chat: a message whose value is the button's data and inputs.</summary>
    public Task<IReadOnlyList<Activity>> SubmitAsync(JsonObject value, TeamsUser? user = null)
    {
        var activity = Activities.PersonalMessage("", user);
        activity.Text = null;
        activity.Value = value;
        return TurnAsync(activity);
    }

    public async Task<IReadOnlyList<Activity>> TurnAsync(Activity activity)
    {
        var before = Connector.Calls.Count;
        var response = await PostAsync(activity);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"/api/messages answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return [.. Connector.Calls.Skip(before)
            .Where(c => c.ConversationId == activity.Conversation!.Id && c.Activity is not null)
            .Select(c => c.Activity!)];
    }

    /// <summary>Every Adaptive Card the bot has sent or updated so far, for the official parser.</summary>
    public IReadOnlyList<JsonObject> CardsSent() =>
    [
        .. Connector.Calls
            .Select(c => c.Activity)
            .Concat(Connector.Calls.Select(c => c.Parameters?.Activity))
            .Where(a => a?.Attachments is not null)
            .SelectMany(a => a!.Attachments!)
            .Where(a => a.ContentType == Attachment.AdaptiveCardContentType && a.Content is JsonObject)
            .Select(a => (JsonObject)a.Content!),
    ];

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _shared.ReleaseAsync();
    }

    /// <summary>What the instances of one <see cref="StartManyAsync"/> share; disposed when the last instance is.</summary>
    private sealed class SharedFakes(FakeBotIdentity identity, RecordingConnector connector, string? embeddedPath, int users)
    {
        private int _users = users;

        public FakeBotIdentity Identity => identity;
        public RecordingConnector Connector => connector;

        public async Task ReleaseAsync()
        {
            if (Interlocked.Decrement(ref _users) > 0)
            {
                return;
            }

            await connector.DisposeAsync();
            await identity.DisposeAsync();
            if (embeddedPath is not null)
            {
                foreach (var file in new[] { embeddedPath, embeddedPath + "-wal", embeddedPath + "-shm" })
                {
                    File.Delete(file);
                }
            }
        }
    }
}
