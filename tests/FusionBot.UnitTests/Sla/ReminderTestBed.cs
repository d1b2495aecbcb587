using FusionBot.Features.Access;
using FusionBot.Features.Outbox;
using FusionBot.Features.Portfolio;
using FusionBot.Features.Sla;
using FusionBot.Protocol.Authentication;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.UnitTests.Sla;

/// <summary>
/// The reminder handlers as the app wires them, over real stores in a temporary SQLite file and a real connector
/// client talking to a <see cref="RecordingConnector"/> on loopback; time is a <see cref="FakeTimeProvider"/>.
/// Handlers are run directly on the items the outbox holds, so each test decides what runs when.
/// </summary>
public sealed class ReminderTestBed : IAsyncDisposable
{
    public const string TenantId = TeamsActivityBuilder.DefaultTenantId;
    public const string AdminId = "c3333333-3333-3333-3333-333333333333";
    public const string CommunityChannelId = "19:coe-community@thread.tacv2";

    private readonly ServiceProvider _services;
    private readonly string _path;
    private int _nextThread;

    private ReminderTestBed(ServiceProvider services, RecordingConnector connector, FakeTimeProvider time, string path)
    {
        _services = services;
        Connector = connector;
        Time = time;
        _path = path;
    }

    public RecordingConnector Connector { get; }
    public FakeTimeProvider Time { get; }

    public IRequestStore Requests => Get<IRequestStore>();
    public IDueWorkStore DueWork => Get<IDueWorkStore>();
    public IRequestHistoryStore History => Get<IRequestHistoryStore>();
    public SlaScheduler Scheduler => Get<SlaScheduler>();

    public static async Task<ReminderTestBed> StartAsync(params string[] adminIds)
    {
        var connector = await RecordingConnector.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(Path.GetTempPath(), $"fusionbot-reminders-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?> { ["Storage:EmbeddedPath"] = path };
        for (var i = 0; i < adminIds.Length; i++)
        {
            settings[$"Governance:AdminIds:{i}"] = adminIds[i];
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<IHostEnvironment>(new TestEnvironment())
            .AddFusionBotStorage()
            .AddFusionBotSla()
            .AddFusionBotAccess()
            .AddFusionBotOutbox()
            .AddFusionBotRequests()
            .AddSingleton<IPeriodicReviewPlanner, PortfolioReviews>()
            .AddSingleton<IBotTokenProvider, NoToken>()
            .Configure<ConnectorClientOptions>(o => o.MaxAttempts = 1);
        services.AddHttpClient<ConnectorClient>();
        services.AddOptions<PortfolioOptions>();
        return new ReminderTestBed(services.BuildServiceProvider(), connector, time, path);
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A request of <paramref name="tier"/> in review since now (cycle 1), its card posted, its SLA scheduled.</summary>
    public async Task<GovernanceRequest> SeedInReviewAsync(int tier = 2, Person? reviewer = null, int cycle = 1)
    {
        var now = Time.GetUtcNow();
        var maker = new Person("29:maker-" + Guid.NewGuid().ToString("N")[..8], "m-aad-" + Guid.NewGuid().ToString("N")[..8], "Mia Maker");
        var created = await Requests.CreateAsync(new GovernanceRequest
        {
            Id = "",
            TenantId = TenantId,
            Title = "Expense *tracker*",
            Answers = new IntakeAnswers { SolutionName = "Expense tracker" },
            Tier = tier,
            Reasons = ["test"],
            Status = RequestStatus.Submitted,
            Maker = maker,
            MakerConversation = PersonalReference(maker),
            CreatedAt = now,
            UpdatedAt = now,
        });
        var thread = Interlocked.Increment(ref _nextThread);
        var inReview = created with
        {
            Status = RequestStatus.PendingReview,
            Reviewer = reviewer,
            ReviewCycle = cycle,
            ReviewCard = new ChannelMessage($"19:tier{tier}@thread.tacv2;messageid={thread}", thread.ToString(System.Globalization.CultureInfo.InvariantCulture), Connector.ServiceUrl),
        };
        var (due, points) = Scheduler.Start(inReview, now, cycle);
        foreach (var point in points)
        {
            await Get<WorkOutbox>().EnqueueAsync(point);
        }

        return await Requests.UpdateAsync(inReview with { DueAt = due });
    }

    public ConversationReference PersonalReference(Person user) => new()
    {
        User = new ChannelAccount { Id = user.Id, Name = user.Name, AadObjectId = user.AadObjectId },
        Bot = new ChannelAccount { Id = "28:" + FakeBotIdentity.AppId, Name = TeamsActivityBuilder.BotName },
        Conversation = new ConversationAccount { Id = "a:personal-" + user.Id, ConversationType = ConversationTypes.Personal, TenantId = TenantId },
        ChannelId = "msteams",
        ServiceUrl = Connector.ServiceUrl,
        TenantId = TenantId,
    };

    public Task RegisterCommunityChannelAsync() =>
        Get<IChannelRoutingStore>().RegisterAsync(ChannelRoles.Community, new ChannelRegistration
        {
            ChannelId = CommunityChannelId,
            ChannelName = "CoE community",
            ServiceUrl = Connector.ServiceUrl,
            TenantId = TenantId,
            RegisteredBy = new Person("29:admin", AdminId, "Ada Admin"),
            RegisteredAt = Time.GetUtcNow(),
        });

    /// <summary>The pending outbox item with that id, as the worker would hand it over.</summary>
    public async Task<DueWorkItem> PendingItemAsync(string id)
    {
        var status = await DueWork.GetStatusAsync(id);
        Assert.NotNull(status);
        Assert.Equal(DueWorkState.Pending, status.State);
        return status.Item!;
    }

    /// <summary>Runs the item's handler in a fresh scope, as the worker does.</summary>
    public async Task HandleAsync(DueWorkItem item)
    {
        await using var scope = _services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetServices<IOutboxHandler>().Single(h => h.Kind == item.Kind);
        await handler.HandleAsync(item, CancellationToken.None);
    }

    public async Task OnFailedAsync(DueWorkItem item, string reason)
    {
        await using var scope = _services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetServices<IOutboxHandler>().Single(h => h.Kind == item.Kind);
        await handler.OnFailedAsync(item, reason, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Connector.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private sealed class NoToken : IBotTokenProvider
    {
        public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(null);
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "FusionBot.UnitTests";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
