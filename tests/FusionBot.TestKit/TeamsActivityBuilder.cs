using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Protocol.Models;

namespace FusionBot.TestKit;

/// <summary>A Teams user as activities name them: the Bot Framework id (29:…) and the Entra object id.</summary>
public sealed record TeamsUser(string Id, string Name, string AadObjectId)
{
    public static TeamsUser Maker { get; } = new("29:maker-1", "Mia Maker", "a1111111-1111-1111-1111-111111111111");

    public static TeamsUser Reviewer { get; } = new("29:reviewer-1", "Ravi Reviewer", "b2222222-2222-2222-2222-222222222222");

    public ChannelAccount ToChannelAccount() => new() { Id = Id, Name = Name, AadObjectId = AadObjectId, Role = "user" };
}

/// <summary>
/// Builds activities shaped like the ones Teams sends (see the fixtures in FusionBot.Protocol.Tests), addressed to
/// the bot and carrying <paramref name="serviceUrl"/> — use the <see cref="RecordingConnector"/>'s.
/// </summary>
public sealed class TeamsActivityBuilder(string serviceUrl, string botAppId = FakeBotIdentity.AppId, string tenantId = TeamsActivityBuilder.DefaultTenantId)
{
    public const string DefaultTenantId = "72f988bf-0000-4000-8000-00000000c0de";
    public const string DefaultTeamId = "19:team-general@thread.tacv2";
    public const string DefaultChannelId = "19:fusion-reviews@thread.tacv2";
    public const string BotName = "FusionBot";

    private long nextId = 1_600_000_000_000;

    public string ServiceUrl => serviceUrl;

    public string TenantId => tenantId;

    public ChannelAccount Bot => new() { Id = "28:" + botAppId, Name = BotName };

    /// <summary>The 1:1 chat between <paramref name="user"/> and the bot.</summary>
    public ConversationAccount PersonalConversation(TeamsUser? user = null) => new()
    {
        Id = "a:personal-" + (user ?? TeamsUser.Maker).AadObjectId,
        ConversationType = ConversationTypes.Personal,
        TenantId = tenantId,
    };

    public Activity PersonalMessage(string text, TeamsUser? from = null)
    {
        var user = from ?? TeamsUser.Maker;
        var activity = Base(ActivityTypes.Message, user, PersonalConversation(user), TenantChannelData());
        activity.Text = text;
        activity.TextFormat = "plain";
        return activity;
    }

    /// <summary>A channel post (or, with <paramref name="threadId"/>, a thread reply) that starts with "@FusionBot".</summary>
    public Activity ChannelMessageMentioningBot(
        string text, TeamsUser? from = null, string teamId = DefaultTeamId, string channelId = DefaultChannelId, string? threadId = null)
    {
        var mention = $"<at>{BotName}</at>";
        var activity = Base(ActivityTypes.Message, from ?? TeamsUser.Maker, ChannelConversation(channelId, threadId), TeamChannelData(teamId, channelId));
        activity.Text = $"{mention} {text}";
        activity.TextFormat = "plain";
        activity.Entities = [new Entity { Type = "mention", Text = mention, Mentioned = Bot }];
        return activity;
    }

    /// <summary>An <c>adaptiveCard/action</c> invoke (Action.Execute) from a card in <paramref name="conversation"/> (default: the 1:1 chat).</summary>
    public Activity AdaptiveCardAction(
        string verb, JsonObject? data = null, TeamsUser? from = null, ConversationAccount? conversation = null, string? cardActivityId = null)
    {
        var user = from ?? TeamsUser.Maker;
        var activity = Base(ActivityTypes.Invoke, user, conversation ?? PersonalConversation(user), TenantChannelData());
        activity.Name = InvokeNames.AdaptiveCardAction;
        activity.ReplyToId = cardActivityId;
        activity.Value = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data?.DeepClone() ?? new JsonObject() },
            ["trigger"] = "manual",
        };
        return activity;
    }

    /// <summary>The conversationUpdate Teams sends when the bot is installed for a user: bot and user in membersAdded.</summary>
    public Activity BotAddedToPersonalChat(TeamsUser? user = null)
    {
        var member = user ?? TeamsUser.Maker;
        var activity = Base(ActivityTypes.ConversationUpdate, member, PersonalConversation(member), TenantChannelData());
        activity.MembersAdded = [Bot, new ChannelAccount { Id = member.Id, AadObjectId = member.AadObjectId }];
        return activity;
    }

    /// <summary>The conversationUpdate Teams sends when the bot is added to a team (eventType teamMemberAdded).</summary>
    public Activity BotAddedToTeam(TeamsUser? addedBy = null, string teamId = DefaultTeamId, string teamName = "Fusion Team")
    {
        var channelData = TeamChannelData(teamId, teamId);
        channelData["team"]!["name"] = teamName;
        channelData["eventType"] = "teamMemberAdded";
        var activity = Base(ActivityTypes.ConversationUpdate, addedBy ?? TeamsUser.Maker, ChannelConversation(teamId, null), channelData);
        activity.MembersAdded = [Bot];
        return activity;
    }

    /// <summary>An installationUpdate (action add or remove) for the 1:1 chat, or for a team when <paramref name="teamId"/> is given.</summary>
    public Activity InstallationUpdate(string action = "add", TeamsUser? from = null, string? teamId = null)
    {
        var user = from ?? TeamsUser.Maker;
        var activity = teamId is null
            ? Base(ActivityTypes.InstallationUpdate, user, PersonalConversation(user), TenantChannelData())
            : Base(ActivityTypes.InstallationUpdate, user, ChannelConversation(teamId, null), TeamChannelData(teamId, teamId));
        activity.Action = action;
        return activity;
    }

    private ConversationAccount ChannelConversation(string channelId, string? threadId) => new()
    {
        Id = threadId is null ? channelId : $"{channelId};messageid={threadId}",
        ConversationType = ConversationTypes.Channel,
        IsGroup = true,
        TenantId = tenantId,
    };

    private JsonObject TenantChannelData() => new() { ["tenant"] = new JsonObject { ["id"] = tenantId } };

    private JsonObject TeamChannelData(string teamId, string channelId) => new()
    {
        ["teamsTeamId"] = teamId,
        ["teamsChannelId"] = channelId,
        ["team"] = new JsonObject { ["id"] = teamId },
        ["channel"] = new JsonObject { ["id"] = channelId },
        ["tenant"] = new JsonObject { ["id"] = tenantId },
    };

    /// <summary>
    /// Adds the <c>clientInfo</c> entity Teams puts on messages and invokes: the sender's IANA time zone and locale, as in
    /// the captured fixtures (e.g. 21-invoke-adaptivecard-action-execute-manual.json).
    /// </summary>
    public static Activity WithClientInfo(Activity activity, string timeZone, string locale = "en-US")
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.Entities = [.. activity.Entities ?? [], new Entity
        {
            Type = "clientInfo",
            Properties = new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["locale"] = System.Text.Json.JsonSerializer.SerializeToElement(locale),
                ["country"] = System.Text.Json.JsonSerializer.SerializeToElement("US"),
                ["platform"] = System.Text.Json.JsonSerializer.SerializeToElement("Web"),
                ["timezone"] = System.Text.Json.JsonSerializer.SerializeToElement(timeZone),
            },
        }];
        return activity;
    }

    private Activity Base(string type, TeamsUser from, ConversationAccount conversation, JsonObject channelData) => new()
    {
        Type = type,
        Id = Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture),
        Timestamp = DateTimeOffset.UtcNow,
        LocalTimestamp = DateTimeOffset.UtcNow,
        ServiceUrl = serviceUrl,
        ChannelId = Channels.MsTeams,
        From = from.ToChannelAccount(),
        Recipient = Bot,
        Conversation = conversation,
        ChannelData = channelData,
        Locale = "en-US",
    };
}
