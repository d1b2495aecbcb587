using System.Globalization;
using FusionBot.Features.Outbox;
using FusionBot.Features.Sla;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Sla;

/// <summary>
/// Requests put in review the way the review feature leaves them (card posted in a thread, due time, cycle), with
/// their SLA scheduled; and what the connector saw for each of them. Short windows and a fast sweep run it in real time.
/// </summary>
public sealed class SlaScenario(BotHost host)
{
    public const string AdminId = "c3333333-3333-3333-3333-333333333333";
    public const string AdminWithoutBotId = "d4444444-4444-4444-4444-444444444444";
    public const string AdminConversationId = "a:personal-29:admin";
    public const string CommunityChannelId = "19:coe-community@thread.tacv2";
    public const string TenantId = TeamsActivityBuilder.DefaultTenantId;

    /// <summary>
    /// Tier 2 due 20 s after entering review: reminders at 6 s and 12 s, the breach at 20 s; swept every 200 ms. A
    /// reminder that fails once is retried (5 s later) well before the due time, after which it would be dropped.
    /// </summary>
    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sla:Tier2"] = "00:00:20",
            ["Sla:RemindAt:0"] = "0.3",
            ["Sla:RemindAt:1"] = "0.6",
            ["Outbox:SweepInterval"] = "00:00:00.200",
            ["Governance:AdminIds:0"] = AdminId,
            ["Governance:AdminIds:1"] = AdminWithoutBotId,
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private T Get<T>()
        where T : notnull => host.Services.GetRequiredService<T>();

    /// <summary>
    /// One CoE admin has the bot installed (a stored 1:1 reference, in <paramref name="adminChatTenant"/>: by default this
    /// tenant), the other not; a community channel is registered.
    /// </summary>
    public async Task PrepareCoeAsync(string adminChatTenant = TenantId)
    {
        var admin = new Person("29:admin", AdminId, "Ada Admin");
        var reference = PersonalReference(admin);
        reference.Conversation!.TenantId = adminChatTenant;
        await Get<IConversationReferenceStore>().SaveForUserAsync(adminChatTenant, admin.AadObjectId, admin.Id, reference with { TenantId = adminChatTenant });
        await Get<IChannelRoutingStore>().RegisterAsync(ChannelRoles.Community, new ChannelRegistration
        {
            ChannelId = CommunityChannelId,
            ChannelName = "CoE community",
            ServiceUrl = host.Connector.ServiceUrl,
            TenantId = TenantId,
            RegisteredBy = admin,
            RegisteredAt = DateTimeOffset.UtcNow,
        });
    }

    public async Task<GovernanceRequest> SeedInReviewAsync(int number, Person? reviewer = null)
    {
        var requests = Get<IRequestStore>();
        var now = Get<TimeProvider>().GetUtcNow();
        var maker = new Person($"29:maker-{number}", $"aad-maker-{number}", $"Maker {number}");
        var created = await requests.CreateAsync(new GovernanceRequest
        {
            Id = "",
            TenantId = TenantId,
            Title = $"Solution {number}",
            Answers = new IntakeAnswers { SolutionName = $"Solution {number}" },
            Tier = 2,
            Reasons = ["department-wide"],
            Status = RequestStatus.Submitted,
            Maker = maker,
            MakerConversation = PersonalReference(maker),
            CreatedAt = now,
            UpdatedAt = now,
        });
        var cardId = (900_000 + number).ToString(CultureInfo.InvariantCulture);
        var inReview = await requests.UpdateAsync(created with
        {
            Status = RequestStatus.PendingReview,
            Reviewer = reviewer,
            ReviewCycle = 1,
            DueAt = Get<SlaClock>().DueAt(2, now),
            ReviewCard = new ChannelMessage($"19:tier2@thread.tacv2;messageid={cardId}", cardId, host.Connector.ServiceUrl),
            UpdatedAt = now,
        });
        foreach (var point in Get<SlaScheduler>().Start(inReview, now, 1).Points)
        {
            await Get<WorkOutbox>().EnqueueAsync(point);
        }

        return inReview;
    }

    /// <summary>Every outbox item the SLA of the request gives rise to (the card mark and the escalations only once breached).</summary>
    public static IReadOnlyList<string> ItemIds(GovernanceRequest request) =>
    [
        $"sla:{request.Id}:1:remind-30",
        $"sla:{request.Id}:1:remind-60",
        $"sla:{request.Id}:1:breach",
        $"sla:{request.Id}:1:breach:maker",
        $"sla:{request.Id}:1:breach:admin:{AdminId}",
        $"sla:{request.Id}:1:breach:admin:{AdminWithoutBotId}",
        $"sla:{request.Id}:1:breach:channel:{CommunityChannelId}",
    ];

    /// <summary>Waits (polling the store) until none of the items is pending any more: each completed, failed or never created.</summary>
    public async Task WaitUntilSettledAsync(IEnumerable<string> itemIds, TimeSpan timeout)
    {
        var store = Get<IDueWorkStore>();
        var ids = itemIds.ToList();
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var pending = new List<string>();
            foreach (var id in ids)
            {
                if (await store.GetStatusAsync(id) is { State: DueWorkState.Pending })
                {
                    pending.Add(id);
                }
            }

            if (pending.Count == 0)
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Still pending after {timeout}: {string.Join(", ", pending)}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Successful sends into a conversation that name the request (bold id, as every SLA message writes it).</summary>
    public int Delivered(GovernanceRequest request, string conversationId, ConnectorRoute route) =>
        host.Connector.Calls.Count(c => c.Succeeded && c.Route == route && c.ConversationId == conversationId
            && c.Activity?.Text?.Contains($"**{request.Id}**", StringComparison.Ordinal) == true);

    public int RemindersDelivered(GovernanceRequest request) =>
        Delivered(request, request.ReviewCard!.ConversationId, ConnectorRoute.ReplyToActivity);

    public int MakerMessagesDelivered(GovernanceRequest request) =>
        Delivered(request, request.MakerConversation!.Conversation!.Id!, ConnectorRoute.SendToConversation);

    public int AdminMessagesDelivered(GovernanceRequest request) =>
        Delivered(request, AdminConversationId, ConnectorRoute.SendToConversation);

    public int ChannelMessagesDelivered(GovernanceRequest request) =>
        Delivered(request, CommunityChannelId, ConnectorRoute.SendToConversation);

    /// <summary>True when a reminder of the request reached its thread after the first breach alert about it did.</summary>
    public bool RemindedAfterBreach(GovernanceRequest request)
    {
        var calls = host.Connector.Calls;
        var firstAlert = calls.ToList().FindIndex(c => c.Succeeded && c.Activity?.Text?.Contains($"SLA breached: **{request.Id}**", StringComparison.Ordinal) == true);
        var lastReminder = calls.ToList().FindLastIndex(c => c.Succeeded && c.Route == ConnectorRoute.ReplyToActivity
            && c.ConversationId == request.ReviewCard!.ConversationId && c.Activity?.Text?.Contains($"**{request.Id}**", StringComparison.Ordinal) == true);
        return firstAlert >= 0 && lastReminder > firstAlert;
    }

    public ConversationReference PersonalReference(Person user) => new()
    {
        User = new ChannelAccount { Id = user.Id, Name = user.Name, AadObjectId = user.AadObjectId },
        Bot = host.Activities.Bot,
        Conversation = new ConversationAccount { Id = "a:personal-" + user.Id, ConversationType = ConversationTypes.Personal, TenantId = TenantId },
        ChannelId = "msteams",
        ServiceUrl = host.Connector.ServiceUrl,
        TenantId = TenantId,
    };
}
