using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Tenancy;

/// <summary>One side of the deployment: a tenant with its own CoE admin, maker, review channels and community channel.</summary>
public sealed record TenantSide(
    string Name, TeamsActivityBuilder Activities, TeamsUser Admin, TeamsUser Maker, string TeamId, string Tier2Channel, string Tier3Channel, string CommunityChannel)
{
    public string TenantId => Activities.TenantId;

    /// <summary>Every conversation of this tenant the bot may write to.</summary>
    public IReadOnlySet<string> Conversations => new HashSet<string>(StringComparer.Ordinal)
    {
        Activities.PersonalConversation(Admin).Id!, Activities.PersonalConversation(Maker).Id!, Tier2Channel, Tier3Channel, CommunityChannel,
    };
}

/// <summary>
/// One bot serving two tenants over HTTP, as a multi-tenant deployment does: tenant A's admin and reviewers are the
/// top-level lists bound to A by <c>Governance:TenantId</c>, tenant B's come from <c>Governance:Tenants:{B}</c>.
/// </summary>
public sealed class TwoTenants : IAsyncDisposable
{
    public const string TenantBId = "b0b0b0b0-0000-4000-8000-0000000000b0";

    private static readonly string[] Tier2Answers = ["My department", "30", "SharePoint", "Internal", "None"];
    private static readonly string[] Tier3Answers = ["Several departments", "120", "an external API", "Confidential", "None"];

    private TwoTenants(BotHost bot)
    {
        Bot = bot;
        A = new TenantSide("A", bot.Activities,
            new TeamsUser("29:admin-a", "Ada Admin", "a0000000-0000-4000-8000-00000000000a"), TeamsUser.Maker,
            "19:team-a@thread.tacv2", "19:a-tier2@thread.tacv2", "19:a-tier3@thread.tacv2", "19:a-community@thread.tacv2");
        B = new TenantSide("B", new TeamsActivityBuilder(bot.Connector.ServiceUrl, tenantId: TenantBId),
            new TeamsUser("29:admin-b", "Bea Admin", "b0000000-0000-4000-8000-00000000000b"),
            new TeamsUser("29:maker-b", "Ben Maker", "b1111111-0000-4000-8000-00000000000b"),
            "19:team-b@thread.tacv2", "19:b-tier2@thread.tacv2", "19:b-tier3@thread.tacv2", "19:b-community@thread.tacv2");
    }

    public BotHost Bot { get; }
    public TenantSide A { get; }
    public TenantSide B { get; }

    public RecordingConnector Connector => Bot.Connector;

    public static async Task<TwoTenants> StartAsync(AzuriteTableServer? tableStorage, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Governance:TenantId"] = TeamsActivityBuilder.DefaultTenantId,
            ["Governance:AdminIds:0"] = "a0000000-0000-4000-8000-00000000000a",
            [$"Governance:Tenants:{TenantBId}:AdminIds:0"] = "b0000000-0000-4000-8000-00000000000b",
            ["Links:SigningKey"] = Convert.ToBase64String([.. Enumerable.Range(3, 32).Select(i => (byte)i)]),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new TwoTenants(await BotHost.StartAsync(tableStorage, settings));
    }

    public T Get<T>()
        where T : notnull => Bot.Services.GetRequiredService<T>();

    /// <summary>The user says <paramref name="text"/> in their 1:1 chat in the side's tenant; returns the bot's replies as text.</summary>
    public async Task<string> SayAsync(TenantSide side, string text, TeamsUser user) =>
        Texts(await Bot.TurnAsync(side.Activities.PersonalMessage(text, user)));

    /// <summary>The user @mentions the bot in a channel of the side's team; returns the bot's replies as text.</summary>
    public async Task<string> InChannelAsync(TenantSide side, string text, TeamsUser user, string channelId) =>
        Texts(await Bot.TurnAsync(side.Activities.ChannelMessageMentioningBot(text, user, side.TeamId, channelId)));

    /// <summary>The side's maker walks the intake to the summary card (suggestions included); returns the replies.</summary>
    public async Task<IReadOnlyList<Activity>> IntakeToSummaryAsync(TenantSide side, int tier, string title, string purpose = "Track expenses")
    {
        IReadOnlyList<Activity> replies = [];
        foreach (var text in (string[])["new request", title, purpose, "Power Apps", .. tier == 3 ? Tier3Answers : Tier2Answers, "skip"])
        {
            replies = await Bot.TurnAsync(side.Activities.PersonalMessage(text, side.Maker));
        }

        return replies;
    }

    /// <summary>The side's maker submits a request of <paramref name="tier"/>; returns it as stored.</summary>
    public async Task<GovernanceRequest> SubmitAsync(TenantSide side, int tier, string title)
    {
        await IntakeToSummaryAsync(side, tier, title);
        await SayAsync(side, "confirm", side.Maker);
        var mine = await Get<IRequestStore>().ListByMakerAsync(side.TenantId, side.Maker.Id, 1);
        return Assert.Single(mine);
    }

    public async Task<GovernanceRequest> RequestAsync(TenantSide side, string id) =>
        await Get<IRequestStore>().GetAsync(side.TenantId, id) ?? throw new InvalidOperationException($"{id} is not stored in tenant {side.Name}");

    /// <summary>Where a call went: the conversation (threads and replies as their channel), or the channel a new thread was started in.</summary>
    public static string? Destination(RecordedCall call) =>
        (call.ConversationId ?? call.Parameters?.ChannelData?["channel"]?["id"]?.GetValue<string>())?.Split(";messageid=")[0];

    /// <summary>Waits for the review card of <paramref name="requestId"/> to start a thread; returns the channel it went to.</summary>
    public async Task<string> CardPostedToAsync(string requestId)
    {
        var call = await Connector.WaitForAsync(c => c.Route == ConnectorRoute.CreateConversation && c.Succeeded
            && c.Parameters?.Activity?.Summary?.Contains(requestId, StringComparison.Ordinal) == true);
        return Destination(call)!;
    }

    /// <summary>
    /// Nothing crossed: no call into one tenant's conversations names anything of the other tenant (its requests'
    /// ids or titles), every new thread is created in the tenant of its channel, and every call went to a known conversation.
    /// </summary>
    public void AssertNothingCrossed(IReadOnlyCollection<string> markersOfA, IReadOnlyCollection<string> markersOfB)
    {
        foreach (var call in Connector.Calls.Where(c => c.Activity is not null))
        {
            var destination = Destination(call);
            var (side, foreign) = A.Conversations.Contains(destination!) ? (A, markersOfB)
                : B.Conversations.Contains(destination!) ? (B, markersOfA)
                : throw new Xunit.Sdk.XunitException($"A {call.Route} went to {destination}, which belongs to neither tenant.");
            foreach (var marker in foreign)
            {
                Assert.False(call.Body.Contains(marker, StringComparison.Ordinal), $"{marker} of the other tenant reached {destination} of tenant {side.Name}: {call.Route}");
            }

            if (call.Route == ConnectorRoute.CreateConversation)
            {
                Assert.Equal(side.TenantId, call.Parameters?.ChannelData?["tenant"]?["id"]?.GetValue<string>());
            }
        }
    }

    public static string Texts(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.Select(r => r.Text + " " + string.Join(" ", (r.Attachments ?? []).Select(a => a.Content?.ToJsonString()))));

    /// <summary>The url of the Action.OpenUrl titled <paramref name="title"/> in the replies' cards.</summary>
    public static string OpenUrl(IEnumerable<Activity> replies, string title) =>
        replies.SelectMany(r => r.Attachments ?? []).Select(a => a.Content).OfType<JsonObject>()
            .SelectMany(Descendants).OfType<JsonObject>()
            .Where(o => o["type"]?.ToString() == "Action.OpenUrl" && o["title"]?.ToString() == title)
            .Select(o => o["url"]!.ToString())
            .Single();

    private static IEnumerable<JsonNode> Descendants(JsonNode node) =>
        new[] { node }.Concat(node switch
        {
            JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Descendants),
            JsonArray a => a.OfType<JsonNode>().SelectMany(Descendants),
            _ => [],
        });

    public ValueTask DisposeAsync() => Bot.DisposeAsync();
}
