using System.Text.Json.Nodes;
using Azure.Core;
using FusionBot.Features.Inventory;
using FusionBot.Features.Outbox;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using FusionBot.TestKit.PowerPlatform;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FusionBot.FunctionalTests.Inventory;

/// <summary>
/// A tenant's Power Platform on loopback and the bot reading it: three environments (the default one, a production
/// one, a developer one), two data policies, and 40 apps, flows and agents, most of them quiet. The outbox worker is
/// taken out so the test runs the outbox at known moments (<see cref="DrainAsync"/>).
/// </summary>
public sealed class PlatformTenant : IAsyncDisposable
{
    public const string AdminObjectId = "a0000000-0000-4000-8000-00000000000a";
    public const string Default = "Default-72f988bf-0000-4000-8000-00000000c0de";
    public const string Production = "0d1e2f3a-0000-4000-8000-000000000001";
    public const string Developer = "0d1e2f3a-0000-4000-8000-000000000002";

    // The flagged ones the tests follow; ids are the platform's GUIDs.
    public const string ExpenseApp = "e0000000-0000-4000-8000-000000000001";
    public const string InvoiceFlow = "f0000000-0000-4000-8000-000000000001";
    public const string HrAgent = "b0000000-0000-4000-8000-000000000001";
    public const string YoungApp = "e0000000-0000-4000-8000-000000000002";
    public const string RotaApp = "e0000000-0000-4000-8000-000000000003";

    public static readonly TeamsUser Admin = new("29:admin-1", "Ada Admin", AdminObjectId);
    public static readonly TeamsUser Unreachable = new("29:maker-2", "Olu Owner", "a2222222-2222-2222-2222-222222222222");

    private PlatformTenant(FakePowerPlatformServer platform, BotHost bot)
    {
        Platform = platform;
        Bot = bot;
    }

    public FakePowerPlatformServer Platform { get; }
    public BotHost Bot { get; }
    public string TenantId => Bot.Activities.TenantId;

    /// <param name="extra">More settings, e.g. a fake Graph's.</param>
    /// <param name="services">More services, e.g. a clock the test moves.</param>
    public static async Task<PlatformTenant> StartAsync(AzuriteTableServer? tableStorage, IReadOnlyDictionary<string, string?>? extra = null,
        Action<IServiceCollection>? services = null)
    {
        var platform = await FakePowerPlatformServer.StartAsync();
        var now = DateTimeOffset.UtcNow;
        Populate(platform, now);
        var settings = new Dictionary<string, string?>(platform.Configuration(TeamsActivityBuilder.DefaultTenantId))
        {
            ["Governance:AdminIds:0"] = AdminObjectId,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var bot = await BotHost.StartAsync(tableStorage, settings, collection =>
        {
            collection.AddSingleton<TokenCredential>(new StaticTokenCredential(FakePowerPlatformServer.AccessToken));
            foreach (var worker in collection.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationFactory is not null).ToList())
            {
                collection.Remove(worker);
            }

            services?.Invoke(collection);
        });
        return new PlatformTenant(platform, bot);
    }

    /// <summary>The tenant: 3 environments, 2 policies, 40 solutions.</summary>
    private static void Populate(FakePowerPlatformServer platform, DateTimeOffset now)
    {
        var old = now.AddDays(-120);
        platform.AddEnvironment(Default, "Contoso (default)", "Default", isDefault: true);
        platform.AddEnvironment(Production, "Contoso Production", "Production");
        platform.AddEnvironment(Developer, "Ada's sandbox", "Developer", withDataverse: false);
        platform.AddPolicy("p-baseline", "Tenant baseline", "ExceptEnvironments", [Developer], "General",
            business: ["shared_sharepointonline", "shared_office365", "shared_commondataserviceforapps"],
            nonBusiness: ["shared_sql", "shared_twitter"],
            blocked: ["shared_dropbox"]);
        platform.AddPolicy("p-production", "Production lockdown", "OnlyEnvironments", [Production], "Blocked",
            business: ["shared_sharepointonline", "shared_office365", "shared_sql"],
            nonBusiness: [],
            blocked: ["http", "shared_twitter"],
            customConnectors: "Blocked");

        // The ones the tests follow.
        platform.AddApp(Default, ExpenseApp, "Expense tracker", TeamsUser.Maker.AadObjectId, TeamsUser.Maker.Name, old,
            ["shared_sharepointonline", "shared_sql"], sharedUsers: 130);
        platform.AddFlow(Default, InvoiceFlow, "Invoice sync", Unreachable.AadObjectId, now.AddDays(-60), ["shared_office365", "http"]);
        platform.AddAgent(Production, HrAgent, "HR helper", TeamsUser.Maker.AadObjectId, TeamsUser.Maker.Name, now.AddDays(-90));
        platform.AddApp(Default, YoungApp, "Brand new launch", Unreachable.AadObjectId, Unreachable.Name, now.AddDays(-3),
            ["shared_sharepointonline"], sharedUsers: 400);
        platform.AddApp(Default, RotaApp, "Team rota", TeamsUser.Maker.AadObjectId, TeamsUser.Maker.Name, old,
            ["shared_sharepointonline"], sharedUsers: 20);

        // 35 quiet ones: small, business connectors, outside production (or young).
        for (var i = 0; i < 12; i++)
        {
            platform.AddApp(Default, $"a1000000-0000-4000-8000-{i:D12}", $"Team list {i}", Unreachable.AadObjectId, Unreachable.Name, old,
                ["shared_sharepointonline"], sharedUsers: i % 5);
        }

        for (var i = 0; i < 8; i++)
        {
            platform.AddFlow(Default, $"f1000000-0000-4000-8000-{i:D12}", $"Reminder {i}", Unreachable.AadObjectId, old, ["shared_office365"]);
        }

        for (var i = 0; i < 3; i++)
        {
            platform.AddAgent(Default, $"b1000000-0000-4000-8000-{i:D12}", $"FAQ bot {i}", Unreachable.AadObjectId, Unreachable.Name, old);
        }

        for (var i = 0; i < 5; i++)
        {
            platform.AddApp(Production, $"a2000000-0000-4000-8000-{i:D12}", $"Release {i}", Unreachable.AadObjectId, Unreachable.Name, now.AddDays(-2),
                ["shared_sql"], sharedUsers: 3);
        }

        for (var i = 0; i < 3; i++)
        {
            platform.AddFlow(Production, $"f2000000-0000-4000-8000-{i:D12}", $"Nightly {i}", Unreachable.AadObjectId, now.AddDays(-1), ["shared_sql"]);
        }

        for (var i = 0; i < 3; i++)
        {
            platform.AddApp(Developer, $"a3000000-0000-4000-8000-{i:D12}", $"Prototype {i}", AdminObjectId, Admin.Name, old, ["shared_sharepointonline"], sharedUsers: 1);
        }

        platform.AddFlow(Developer, "f3000000-0000-4000-8000-000000000000", "Prototype flow", AdminObjectId, old, ["shared_sharepointonline"]);
    }

    public T Get<T>()
        where T : notnull => Bot.Services.GetRequiredService<T>();

    /// <summary>A CoE admin types <c>platform sync</c>; the outbox then runs the sync and everything it queued.</summary>
    public async Task SyncAsync()
    {
        var replies = await Bot.SayAsync("platform sync", Admin);
        Assert.Contains(replies, a => a.Text?.Contains("Taking stock", StringComparison.Ordinal) == true);
        await DrainAsync();
    }

    public Task DrainAsync() => CrashPlan.DrainOutboxAsync(Bot);

    /// <summary>Runs the pending outbox item <paramref name="id"/> now, as the worker would once it is due.</summary>
    public async Task RunOutboxItemAsync(string id)
    {
        var status = await Get<IDueWorkStore>().GetStatusAsync(id);
        Assert.NotNull(status);
        Assert.Equal(DueWorkState.Pending, status.State);
        using var scope = Bot.Services.CreateScope();
        var handler = scope.ServiceProvider.GetServices<IOutboxHandler>().Single(h => h.Kind == status.Item!.Kind);
        await handler.HandleAsync(status.Item!, CancellationToken.None);
    }

    /// <summary>What the bot answered, as people read it: message texts, and the texts and facts of its cards.</summary>
    public async Task<string> SayAsync(string text, TeamsUser? user = null) =>
        string.Join("\n", (await Bot.SayAsync(text, user)).SelectMany(a =>
            new[] { a.Text }.Concat(a.Attachments?.SelectMany(attachment => Texts(attachment.Content as JsonNode)) ?? [])).OfType<string>());

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject card => card.SelectMany(p => p.Key is "text" or "title" or "value" && p.Value is JsonValue value && value.TryGetValue<string>(out var text)
            ? [text]
            : Texts(p.Value)),
        JsonArray items => items.SelectMany(Texts),
        _ => [],
    };

    /// <summary>An approved request of the maker's, as a solution in use would be (with the maker's 1:1 chat to reach).</summary>
    public async Task<GovernanceRequest> InUseRequestAsync(string title)
    {
        var now = DateTimeOffset.UtcNow;
        return await Get<IRequestStore>().CreateAsync(new GovernanceRequest
        {
            Id = "",
            TenantId = TenantId,
            Title = title,
            Answers = new IntakeAnswers { SolutionName = title, Platform = FusionBot.Requests.Platform.PowerApps, Audience = Audience.MyDepartment, ExpectedUsers = 30 },
            Tier = 2,
            Reasons = ["department-wide"],
            Status = RequestStatus.Approved,
            Maker = new Person(TeamsUser.Maker.Id, TeamsUser.Maker.AadObjectId, TeamsUser.Maker.Name),
            MakerConversation = Bot.Activities.PersonalMessage("x").GetConversationReference() with { ActivityId = null },
            CreatedAt = now,
            UpdatedAt = now,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Platform.DisposeAsync();
    }
}

/// <summary>The bot's identity as the fake Power Platform accepts it: the one token, whatever the scope.</summary>
public sealed class StaticTokenCredential(string token) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
