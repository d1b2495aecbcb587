using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Digest;

/// <summary>Who and what the digest tests use: a CoE admin, subscribers and a community channel at the recording connector.</summary>
internal static class DigestTestData
{
    public static readonly TeamsUser Admin = new("29:admin-1", "Ada Admin", "c3333333-3333-3333-3333-333333333333");
    public const string CommunityChannelId = "19:community@thread.tacv2";

    public static Dictionary<string, string?> Settings(double maxSendsPerSecond = 200, bool autoSend = false) => new()
    {
        ["Governance:AdminIds:0"] = Admin.AadObjectId,
        ["Digest:MaxSendsPerSecond"] = maxSendsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Digest:AutoSend"] = autoSend ? "true" : "false",
        // Outbox retries (5 s back-off) are picked up within a second rather than a minute.
        ["Outbox:SweepInterval"] = "00:00:01",
    };

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Texts(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.Select(r => r.Text + " " + string.Join(" ", (r.Attachments ?? []).Select(a => a.Content?.ToJsonString(Readable)))));

    /// <summary>A subscriber's 1:1 conversation id.</summary>
    public static string SubscriberConversation(int i) => $"a:subscriber-{i:D4}";

    public static async Task SubscribeAsync(BotHost bot, int count)
    {
        var store = bot.Services.GetRequiredService<IDigestSubscriptionStore>();
        for (var i = 0; i < count; i++)
        {
            var reference = new ConversationReference
            {
                User = new ChannelAccount { Id = $"29:subscriber-{i:D4}", Name = $"Subscriber {i}" },
                Bot = bot.Activities.Bot,
                Conversation = new ConversationAccount { Id = SubscriberConversation(i), ConversationType = ConversationTypes.Personal, TenantId = bot.Activities.TenantId },
                ChannelId = "msteams",
                ServiceUrl = bot.Connector.ServiceUrl,
                TenantId = bot.Activities.TenantId,
            };
            await store.SubscribeAsync(bot.Activities.TenantId, new DigestSubscriber($"29:subscriber-{i:D4}", reference));
        }
    }

    public static Task RegisterCommunityChannelAsync(BotHost bot) =>
        bot.Services.GetRequiredService<IChannelRoutingStore>().RegisterAsync(ChannelRoles.Community, new ChannelRegistration
        {
            ChannelId = CommunityChannelId,
            ChannelName = "Community of practice",
            ServiceUrl = bot.Connector.ServiceUrl,
            TenantId = bot.Activities.TenantId,
            RegisteredBy = new Person(Admin.Id, Admin.AadObjectId, Admin.Name),
            RegisteredAt = DateTimeOffset.UtcNow,
        });

    /// <summary>Digest cards that reached each conversation successfully (channel posts by channel id).</summary>
    public static Dictionary<string, int> DigestsDelivered(RecordingConnector connector) => connector.Calls
        .Where(c => c.Succeeded && c.Activity?.Summary?.StartsWith("Weekly digest", StringComparison.Ordinal) == true)
        .GroupBy(c => c.ConversationId ?? c.Parameters?.ChannelData?["channel"]?["id"]?.GetValue<string>() ?? "?")
        .ToDictionary(g => g.Key, g => g.Count());

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, describe);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException(describe());
            }

            await Task.Delay(100);
        }
    }
}
