using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FusionBot.Features.Classification;
using FusionBot.Features.Intake;
using FusionBot.Features.Portfolio;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using FusionBot.TestKit.Graph;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Requests;

/// <summary>
/// Kills the bot after every single storage write and connector call of one lifecycle action (crash point N = 1, 2, …
/// until a run completes without reaching N), restarts it on the same store, lets Teams redeliver a failed message,
/// runs the outbox to idle, repeats the action where the person would (nothing happened for them), and checks that
/// the request, its history, the channel card, the thread and the maker's 1:1 agree: done once, each message
/// delivered, none twice except the one send the crash interrupted.
/// </summary>
public sealed class CrashConsistency : IAsyncDisposable
{
    public const string Tier2Channel = "19:tier2-reviews@thread.tacv2";
    public const string Tier3Channel = "19:tier3-reviews@thread.tacv2";
    public const string Tier4Channel = "19:tier4-backlog@thread.tacv2";
    public const string TeamGroupId = "d4444444-4444-4444-4444-444444444444";
    private static readonly TeamsUser Admin = new("29:admin-1", "Ada Admin", "c3333333-3333-3333-3333-333333333333");

    private readonly CrashPlan _plan;
    private readonly ShiftedTime _time;
    private readonly FakeGraphServer _graph;

    private CrashConsistency(BotHost bot, CrashPlan plan, ShiftedTime time, FakeGraphServer graph)
    {
        Bot = bot;
        _plan = plan;
        _time = time;
        _graph = graph;
    }

    public BotHost Bot { get; }

    /// <summary>Crash points tried, over every action run so far.</summary>
    public int CrashesTried { get; private set; }

    public static async Task<CrashConsistency> StartAsync(AzuriteTableServer? tableStorage)
    {
        var plan = new CrashPlan();
        var time = new ShiftedTime();
        var graph = await FakeGraphServer.StartAsync();
        var settings = new Dictionary<string, string?>(graph.Configuration)
        {
            ["Governance:AdminIds:0"] = Admin.AadObjectId,
            ["Review:ReviewerIds:0"] = TeamsUser.Reviewer.AadObjectId,
            // Windows far longer than the restarts' shifted clock, so no reminder joins the messages checked here.
            ["Sla:Tier2"] = "60.00:00:00",
            ["Sla:Tier3"] = "60.00:00:00",
            ["Sla:Tier4"] = "60.00:00:00",
            ["Requests:SettleDelay"] = "00:00:00",
            // One outbox slot: a crash then interrupts at most one send, the one the check below admits. With N slots a
            // crash may repeat up to N sends in flight, one per slot (README, "exactly once").
            ["Outbox:Concurrency"] = "1",
        };
        BotHost? bot = null;
        bot = await BotHost.StartAsync(tableStorage, settings, plan.Install(() => bot!.Connector.BaseUrl, time));
        var crash = new CrashConsistency(bot, plan, time, graph);
        // Teams keeps what the bot posted whether or not the bot lived to hear the answer: Graph lists it.
        graph.ChannelMessages = (team, channel) => team != TeamGroupId ? [] :
            bot.Connector.Calls
                .Where(c => c.Route == ConnectorRoute.CreateConversation && c.Succeeded && c.Parameters?.ChannelData?["channel"]?["id"]?.GetValue<string>() == channel)
                .Select(c => new FakeChannelMessage(c.ResponseId!, time.At(c.At), c.Activity!.Attachments![0].Content!.ToJsonString()));
        foreach (var (tier, channel) in new[] { (2, Tier2Channel), (3, Tier3Channel), (4, Tier4Channel) })
        {
            var register = bot.Activities.ChannelMessageMentioningBot($"register tier {tier}", Admin, channelId: channel);
            register.ChannelData!["team"]!["aadGroupId"] = TeamGroupId;
            await bot.TurnAsync(register);
        }

        return crash;
    }

    /// <summary>
    /// Runs <paramref name="act"/> on a fresh request from <paramref name="arrange"/> once per crash point, until it runs
    /// through without crashing; after each run <paramref name="check"/> sees the outcome.
    /// </summary>
    public async Task RunAsync(
        Func<Task<Scene>> arrange, Func<Scene, Activity> act, Func<Scene, Task<bool>> isDone, Func<Scene, Outcome, Task> check)
    {
        for (var crashAfter = 1; crashAfter < 500; crashAfter++)
        {
            var scene = await arrange();
            await CrashPlan.DrainOutboxAsync(Bot);
            var before = Bot.Connector.Calls.Count;
            var activity = act(scene);

            _plan.Arm(crashAfter);
            var answer = await SendAsync(activity);
            if (!_plan.IsDead)
            {
                await DrainCatchingCrashAsync();
            }

            var crashed = _plan.IsDead;
            var crashedAfter = _plan.CrashedAfter;
            // The call the process died right after is the last one the connector saw: it went out, the bot never knew.
            var inFlight = _plan.InFlightCall is null ? null : Bot.Connector.Calls[^1];
            _plan.Disarm();
            if (crashed)
            {
                CrashesTried++;
                // The process comes back after the outbox lease of what it held ran out.
                _time.Offset += TimeSpan.FromMinutes(3);
                await Bot.RestartAsync();
                if (activity.Type == ActivityTypes.Message)
                {
                    // Teams redelivers a message that was answered 500.
                    await SendAsync(activity);
                }

                await CrashPlan.DrainOutboxAsync(Bot);
                var answered = activity.Type != ActivityTypes.Message
                    || Bot.Connector.Calls.Skip(before).Any(c => c.Succeeded && c.ConversationId == activity.Conversation!.Id);
                if (!await isDone(scene) || !answered)
                {
                    // Nothing happened, or the bot said nothing, as far as the person can tell: they do it again.
                    answer = await SendAsync(act(scene));
                    await CrashPlan.DrainOutboxAsync(Bot);
                }
            }

            var calls = Bot.Connector.Calls.Skip(before).Where(c => c.Succeeded).ToList();
            var outcome = new Outcome(calls, answer, crashedAfter, inFlight);
            try
            {
                await check(scene, outcome);
                AssertNothingTwice(outcome);
            }
            catch (Exception failure) when (failure is not SimulatedCrashException)
            {
                throw new Xunit.Sdk.XunitException($"Crash point {crashAfter} (after {crashedAfter ?? "nothing: the run completed"}): {failure.Message}");
            }

            if (!crashed)
            {
                return;
            }
        }

        throw new Xunit.Sdk.XunitException("The action never completed without reaching the crash point.");
    }

    /// <summary>
    /// Every message sent (a reply, a 1:1 message) arrived once; only the one the crash interrupted may have arrived
    /// twice. A review card (a new thread) is posted once, even when the crash came right after its post.
    /// </summary>
    private static void AssertNothingTwice(Outcome outcome)
    {
        var sends = outcome.Calls
            .Where(c => c.Route is ConnectorRoute.SendToConversation or ConnectorRoute.ReplyToActivity or ConnectorRoute.CreateConversation)
            .GroupBy(c => c.Route == ConnectorRoute.CreateConversation
                ? (c.Route, Conversation: c.Parameters?.ChannelData?["channel"]?["id"]?.GetValue<string>(), Text: c.Activity?.Summary)
                : (c.Route, Conversation: c.ConversationId, Text: Content(c)));
        foreach (var send in sends)
        {
            var allowed = send.Key.Route != ConnectorRoute.CreateConversation && outcome.InFlightCall is { } inFlight && send.Contains(inFlight) ? 2 : 1;
            Assert.True(send.Count() <= allowed, $"Sent {send.Count()} times: {send.Key.Route} {send.Key.Text}");
        }
    }

    private static string Content(RecordedCall call) =>
        call.Activity is { } activity ? activity.Text + activity.Summary + string.Join("", (activity.Attachments ?? []).Select(a => a.Content?.ToJsonString())) : call.Body;

    public T Get<T>()
        where T : notnull => Bot.Services.GetRequiredService<T>();

    public async Task<GovernanceRequest> RequestAsync(string id) =>
        await Get<IRequestStore>().GetAsync(Bot.Activities.TenantId, id) ?? throw new InvalidOperationException($"{id} is not stored");

    public Task<IReadOnlyList<RequestHistoryEvent>> HistoryAsync(string id) => Get<IRequestHistoryStore>().ListAsync(id);

    public static IntakeAnswers AnswersFor(int tier) => tier switch
    {
        1 => new IntakeAnswers
        {
            SolutionName = "Leave planner", Purpose = "Plan team leave", Platform = Platform.PowerApps, Audience = Audience.MyTeam,
            ExpectedUsers = 5, DataSources = [DataSourceKinds.None], Sensitivity = DataSensitivity.Public, CustomCode = CustomCode.None,
        },
        2 => new IntakeAnswers
        {
            SolutionName = "Expense tracker", Purpose = "Track expenses", Platform = Platform.PowerApps, Audience = Audience.MyDepartment,
            ExpectedUsers = 30, DataSources = ["sharepoint"], Sensitivity = DataSensitivity.Internal, CustomCode = CustomCode.None,
        },
        _ => new IntakeAnswers
        {
            SolutionName = "Ledger sync", Purpose = "Sync the ledger", Platform = Platform.PowerAutomate, Audience = Audience.OrganisationOrExternal,
            ExpectedUsers = 5000, DataSources = [DataSourceKinds.EnterpriseSystem], Sensitivity = DataSensitivity.Regulated, CustomCode = CustomCode.Substantial,
        },
    };

    /// <summary>A request made as intake makes it; with <paramref name="inReview"/> sent for review and its card posted.</summary>
    public async Task<GovernanceRequest> SeedAsync(int tier, bool inReview)
    {
        var answers = AnswersFor(tier);
        var classification = Get<TierClassifier>().Classify(answers);
        Assert.Equal(tier, classification.Tier);
        var now = _time.GetUtcNow();
        var maker = new Person(TeamsUser.Maker.Id, TeamsUser.Maker.AadObjectId, TeamsUser.Maker.Name);
        var request = new GovernanceRequest
        {
            Id = await Get<IRequestStore>().NewIdAsync(),
            TenantId = Bot.Activities.TenantId,
            Title = answers.SolutionName!,
            Answers = answers,
            Tier = tier,
            Reasons = classification.Reasons,
            Status = RequestStatus.Submitted,
            Maker = maker,
            MakerConversation = new ConversationReference
            {
                User = TeamsUser.Maker.ToChannelAccount(),
                Bot = Bot.Activities.Bot,
                Conversation = Bot.Activities.PersonalConversation(),
                ChannelId = "msteams",
                ServiceUrl = Bot.Connector.ServiceUrl,
                TenantId = Bot.Activities.TenantId,
            },
            CreatedAt = now,
            UpdatedAt = now,
        };
        List<RequestStep> steps = [new(RequestAction.Submit, maker, RequestRole.Maker)];
        if (inReview)
        {
            steps.Add(new RequestStep(RequestAction.SendForReview, RequestActors.FusionBot, RequestRole.System));
        }

        var stored = (await Get<RequestWorkflow>().ApplyAsync(request, steps, CancellationToken.None)).Request;
        await CrashPlan.DrainOutboxAsync(Bot);
        return await RequestAsync(stored.Id);
    }

    /// <summary>The maker's intake dialog at its summary, ready for "confirm".</summary>
    public async Task OpenSummaryAsync(int tier)
    {
        var dialogs = Get<IDialogStateStore>();
        // Keyed as the intake handler keys it: tenant and conversation.
        var conversation = Bot.Activities.TenantId + "|" + Bot.Activities.PersonalConversation().Id!;
        await dialogs.DeleteAsync(conversation);
        await dialogs.SaveAsync(conversation, new IntakeState { Step = IntakeState.SummaryStep, Answers = AnswersFor(tier) }, null);
    }

    public Activity Click(string verb, GovernanceRequest request, JsonObject? inputs = null)
    {
        var data = inputs?.DeepClone().AsObject() ?? [];
        data["requestId"] = request.Id;
        return Bot.Activities.AdaptiveCardAction(verb, data, TeamsUser.Reviewer, new ConversationAccount
        {
            Id = request.ReviewCard!.ConversationId,
            ConversationType = ConversationTypes.Channel,
            IsGroup = true,
            TenantId = Bot.Activities.TenantId,
        }, request.ReviewCard.ActivityId);
    }

    public Activity Say(string text) => Bot.Activities.PersonalMessage(text);

    public Activity Submit(JsonObject value)
    {
        var activity = Bot.Activities.PersonalMessage("");
        activity.Text = null;
        activity.Value = value;
        return activity;
    }

    private async Task<JsonObject?> SendAsync(Activity activity)
    {
        HttpResponseMessage response;
        try
        {
            response = await Bot.PostAsync(activity);
        }
        catch (SimulatedCrashException)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength == 0)
        {
            return null;
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<JsonObject>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task DrainCatchingCrashAsync()
    {
        try
        {
            await CrashPlan.DrainOutboxAsync(Bot);
        }
        catch (SimulatedCrashException)
        {
            // The process died while carrying out the outbox.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await _graph.DisposeAsync();
    }

    /// <summary>The request an action is taken on (null for confirm, which makes it) and what the scene remembers.</summary>
    public sealed record Scene(GovernanceRequest? Request, int RequestsBefore = 0);

    /// <summary>What the connector saw from the action on, the last invoke answer, and where the run crashed.</summary>
    public sealed record Outcome(IReadOnlyList<RecordedCall> Calls, JsonObject? Answer, string? CrashedAfter, RecordedCall? InFlightCall)
    {
        /// <summary>The messages that reached <paramref name="conversationId"/> (a thread counts as its channel's) on <paramref name="route"/>.</summary>
        public IReadOnlyList<string> Texts(ConnectorRoute route, string? conversationId = null) =>
        [
            .. Calls.Where(c => c.Route == route && (conversationId is null || c.ConversationId?.StartsWith(conversationId, StringComparison.Ordinal) == true))
                .Select(Content),
        ];
    }
}
