using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using FusionBot.TestKit.Graph;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Review;

/// <summary>The bot with reviewers, an admin and a fake Graph configured; helpers to submit requests and click review cards over HTTP.</summary>
public sealed class ReviewHarness : IAsyncDisposable
{
    public static readonly TeamsUser Admin = new("29:admin-1", "Ada Admin", "c3333333-3333-3333-3333-333333333333");
    public static readonly TeamsUser SecondReviewer = new("29:reviewer-2", "Rita Reviewer", "d4444444-4444-4444-4444-444444444444");
    public static readonly TeamsUser Outsider = new("29:outsider-1", "Otto Outsider", "e5555555-5555-5555-5555-555555555555");

    public const string Tier2Channel = "19:tier2-reviews@thread.tacv2";
    public const string Tier3Channel = "19:tier3-reviews@thread.tacv2";
    public const string Tier4Channel = "19:tier4-backlog@thread.tacv2";

    private static readonly Dictionary<int, string[]> AnswersByTier = new()
    {
        [2] = ["My department", "30", "SharePoint", "Internal", "None"],
        [3] = ["Several departments", "120", "an external API", "Confidential", "None"],
        [4] = ["whole organisation", "5000", "SAP", "Regulated", "Substantial"],
    };

    private readonly List<JsonObject> _invokeCards = [];

    private ReviewHarness(BotHost bot, FakeGraphServer graph)
    {
        Bot = bot;
        Graph = graph;
    }

    public BotHost Bot { get; }
    public FakeGraphServer Graph { get; }
    public RecordingConnector Connector => Bot.Connector;

    /// <summary>Every card the bot sent, updated, or answered an invoke with.</summary>
    public IReadOnlyList<JsonObject> AllCards
    {
        get
        {
            lock (_invokeCards)
            {
                return [.. Bot.CardsSent(), .. _invokeCards];
            }
        }
    }

    /// <param name="tableStorage">Real Table Storage (azurite); null for the embedded SQLite store.</param>
    /// <param name="services">Replaces registrations after the app's own (see <see cref="BotHost.StartAsync"/>).</param>
    public static async Task<ReviewHarness> StartAsync(IReadOnlyDictionary<string, string?>? extraSettings = null, AzuriteTableServer? tableStorage = null,
        Action<IServiceCollection>? services = null)
    {
        var graph = await FakeGraphServer.StartAsync();
        var settings = new Dictionary<string, string?>(graph.Configuration)
        {
            ["Governance:AdminIds:0"] = Admin.AadObjectId,
            ["Review:ReviewerIds:0"] = TeamsUser.Reviewer.AadObjectId,
            ["Review:ReviewerIds:1"] = SecondReviewer.AadObjectId,
            // The maker is a reviewer too, so refusing their own request is the self-approval rule, not a missing role.
            ["Review:ReviewerIds:2"] = TeamsUser.Maker.AadObjectId,
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ReviewHarness(await BotHost.StartAsync(tableStorage, settings, services), graph);
    }

    public async Task<string> InChannelAsync(string text, TeamsUser user, string channelId)
    {
        var replies = await Bot.TurnAsync(Bot.Activities.ChannelMessageMentioningBot(text, user, channelId: channelId));
        return string.Join("\n", replies.Select(r => r.Text + string.Join(" ", (r.Attachments ?? []).Select(a => a.Content?.ToJsonString()))));
    }

    public Task RegisterAsync(int tier, string channelId) => InChannelAsync($"register tier {tier}", Admin, channelId);

    /// <summary>The maker walks the intake dialog to a request of <paramref name="tier"/> and confirms it; returns its id.</summary>
    public async Task<string> SubmitAsync(int tier, string title = "Expense tracker")
    {
        foreach (var text in (string[])["new request", title, "Track expenses", "Power Apps", .. AnswersByTier[tier], "skip", "confirm"])
        {
            await Bot.SayAsync(text);
        }

        var mine = await Requests.ListByMakerAsync(Bot.Activities.TenantId, TeamsUser.Maker.Id, 1);
        return Assert.Single(mine).Id;
    }

    public IRequestStore Requests => Bot.Services.GetRequiredService<IRequestStore>();

    public async Task<GovernanceRequest> RequestAsync(string id) =>
        await Requests.GetAsync(Bot.Activities.TenantId, id) ?? throw new InvalidOperationException($"{id} not stored");

    public async Task<IReadOnlyList<RequestHistoryEvent>> HistoryAsync(string id) =>
        await Bot.Services.GetRequiredService<IRequestHistoryStore>().ListAsync(id);

    /// <summary>Waits for the review card of <paramref name="id"/> to be posted as a new thread; returns the call.</summary>
    public Task<RecordedCall> CardPostedAsync(string id) =>
        Connector.WaitForAsync(c => c.Route == ConnectorRoute.CreateConversation && c.Body.Contains(id, StringComparison.Ordinal));

    /// <summary>Posted and stored: the request with its <see cref="GovernanceRequest.ReviewCard"/>.</summary>
    public async Task<GovernanceRequest> PostedAsync(string id)
    {
        await CardPostedAsync(id);
        for (var i = 0; i < 600; i++)
        {
            var request = await RequestAsync(id);
            if (request.ReviewCard is not null)
            {
                return request;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{id}'s card was posted but never stored on the request.");
    }

    /// <summary>A reviewer presses a card button (Action.Execute) in the request's thread; returns the invoke's answer.</summary>
    public async Task<JsonObject> ClickAsync(string verb, string requestId, TeamsUser user, JsonObject? inputs = null)
    {
        var request = await RequestAsync(requestId);
        var data = inputs?.DeepClone().AsObject() ?? [];
        data["requestId"] = requestId;
        var thread = request.ReviewCard?.ConversationId ?? Tier2Channel;
        var activity = Bot.Activities.AdaptiveCardAction(verb, data, user, new ConversationAccount
        {
            Id = thread,
            ConversationType = ConversationTypes.Channel,
            IsGroup = true,
            TenantId = Bot.Activities.TenantId,
        }, request.ReviewCard?.ActivityId);
        var response = await Bot.PostAsync(activity);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        if (body["value"] is JsonObject card && body["type"]?.GetValue<string>() == AdaptiveCardInvokeResponse.CardType)
        {
            lock (_invokeCards)
            {
                _invokeCards.Add(card);
            }
        }

        return body;
    }

    /// <summary>Waits for a message to the maker's 1:1 chat that contains <paramref name="text"/>.</summary>
    public Task<RecordedCall> MakerToldAsync(string text) =>
        Connector.WaitForAsync(c => c.Route == ConnectorRoute.SendToConversation
            && c.ConversationId == Bot.Activities.PersonalConversation().Id && c.Body.Contains(text, StringComparison.Ordinal));

    public Task<RecordedCall> CardUpdatedAsync(ChannelMessage card, string text) =>
        Connector.WaitForAsync(c => c.Route == ConnectorRoute.UpdateActivity && c.ConversationId == card.ConversationId
            && c.ActivityId == card.ActivityId && c.Body.Contains(text, StringComparison.Ordinal));

    public Task<RecordedCall> ThreadReplyAsync(ChannelMessage card, string text) =>
        Connector.WaitForAsync(c => c.Route == ConnectorRoute.ReplyToActivity && c.ConversationId == card.ConversationId
            && c.Body.Contains(text, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
