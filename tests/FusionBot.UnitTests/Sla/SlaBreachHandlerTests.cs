using System.Text.Json;
using FusionBot.Features.Sla;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;

namespace FusionBot.UnitTests.Sla;

public sealed class SlaBreachHandlerTests : IAsyncLifetime
{
    private const string UnreachableAdminId = "d4444444-4444-4444-4444-444444444444";
    private ReminderTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await ReminderTestBed.StartAsync(ReminderTestBed.AdminId, UnreachableAdminId);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_breach_marks_the_request_once_and_queues_one_item_per_message_however_often_it_runs()
    {
        await _bed.RegisterCommunityChannelAsync();
        var request = await _bed.SeedInReviewAsync();
        var breach = await _bed.PendingItemAsync($"sla:{request.Id}:1:breach");
        _bed.Time.Advance(TimeSpan.FromHours(48));

        await _bed.HandleAsync(breach);
        await _bed.HandleAsync(breach); // as after a crash before the item was completed

        var marked = await _bed.Requests.GetAsync(request.TenantId, request.Id);
        Assert.Equal(request.DueAt, marked!.SlaBreachedAt);
        var breached = Assert.Single(await _bed.History.ListAsync(request.Id), e => e.Action == "SlaBreached");
        Assert.Equal(RequestActors.FusionBot, breached.Actor);
        Assert.Empty(_bed.Connector.Calls); // the breach itself sends nothing: its items do

        // The transition's card update, named after its history event.
        var card = await _bed.PendingItemAsync($"review-card-update:{request.Id}:{breached.Id}");
        Assert.Equal("review-card-update", card.Kind);
        using (var payload = JsonDocument.Parse(card.Payload))
        {
            Assert.Equal(request.TenantId, payload.RootElement.GetProperty("tenantId").GetString());
            Assert.Equal(request.Id, payload.RootElement.GetProperty("requestId").GetString());
        }

        foreach (var id in new[]
                 {
                     $"sla:{request.Id}:1:breach:maker",
                     $"sla:{request.Id}:1:breach:admin:{ReminderTestBed.AdminId}",
                     $"sla:{request.Id}:1:breach:admin:{UnreachableAdminId}",
                     $"sla:{request.Id}:1:breach:channel:{ReminderTestBed.CommunityChannelId}",
                 })
        {
            Assert.Equal(SlaEscalationHandler.EscalationKind, (await _bed.PendingItemAsync(id)).Kind);
        }
    }

    [Fact]
    public async Task A_breach_after_the_decision_neither_marks_nor_escalates()
    {
        var request = await _bed.SeedInReviewAsync();
        var breach = await _bed.PendingItemAsync($"sla:{request.Id}:1:breach");
        await _bed.Requests.UpdateAsync(request with { Status = RequestStatus.Approved });

        await _bed.HandleAsync(breach);

        Assert.Null((await _bed.Requests.GetAsync(request.TenantId, request.Id))!.SlaBreachedAt);
        Assert.Null(await _bed.DueWork.GetStatusAsync($"sla:{request.Id}:1:breach:maker"));
        Assert.DoesNotContain(await _bed.History.ListAsync(request.Id), e => e.Action == "SlaBreached");
    }

    [Fact]
    public async Task Each_escalation_message_goes_to_its_recipient_and_an_admin_without_the_bot_is_skipped()
    {
        await _bed.RegisterCommunityChannelAsync();
        var admin = new Person("29:admin", ReminderTestBed.AdminId, "Ada Admin");
        await _bed.Get<IConversationReferenceStore>().SaveForUserAsync(ReminderTestBed.TenantId, admin.AadObjectId, admin.Id, _bed.PersonalReference(admin));
        var request = await _bed.SeedInReviewAsync();
        await _bed.HandleAsync(await _bed.PendingItemAsync($"sla:{request.Id}:1:breach"));

        foreach (var id in new[]
                 {
                     $"sla:{request.Id}:1:breach:admin:{ReminderTestBed.AdminId}",
                     $"sla:{request.Id}:1:breach:admin:{UnreachableAdminId}",
                     $"sla:{request.Id}:1:breach:channel:{ReminderTestBed.CommunityChannelId}",
                     $"sla:{request.Id}:1:breach:maker",
                 })
        {
            await _bed.HandleAsync(await _bed.PendingItemAsync(id));
        }

        var calls = _bed.Connector.Calls;
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.Equal(ConnectorRoute.SendToConversation, c.Route));
        var toAdmin = Assert.Single(calls, c => c.ConversationId == "a:personal-29:admin").Activity!;
        Assert.StartsWith($"🚨 SLA breached: **{request.Id}**", toAdmin.Text);
        Assert.Contains("Maker: Mia Maker; no reviewer assigned.", toAdmin.Text);
        Assert.Equal(toAdmin.Text, Assert.Single(calls, c => c.ConversationId == ReminderTestBed.CommunityChannelId).Activity!.Text);
        var toMaker = Assert.Single(calls, c => c.ConversationId == request.MakerConversation!.Conversation!.Id).Activity!;
        Assert.Contains("is overdue", toMaker.Text);
        Assert.Contains("The CoE has been alerted", toMaker.Text);
    }

    [Fact]
    public async Task A_blocked_maker_fails_the_message_permanently_and_the_failure_is_on_the_history()
    {
        var request = await _bed.SeedInReviewAsync();
        await _bed.HandleAsync(await _bed.PendingItemAsync($"sla:{request.Id}:1:breach"));
        _bed.Connector.BlockConversation(request.MakerConversation!.Conversation!.Id!);
        var toMaker = await _bed.PendingItemAsync($"sla:{request.Id}:1:breach:maker");

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => _bed.HandleAsync(toMaker));
        Assert.True(failure.IsPermanent);
        await _bed.OnFailedAsync(toMaker, "Connector 403 MessageWritesBlocked");

        var recorded = Assert.Single(await _bed.History.ListAsync(request.Id), e => e.Action == NotificationFailures.Action);
        Assert.Equal("SLA breach message to Maker: Connector 403 MessageWritesBlocked", recorded.Comment);
        Assert.Equal(RequestActors.FusionBot, recorded.Actor);
    }

    [Fact]
    public async Task An_escalation_message_after_the_decision_sends_nothing()
    {
        var request = await _bed.SeedInReviewAsync();
        await _bed.HandleAsync(await _bed.PendingItemAsync($"sla:{request.Id}:1:breach"));
        var toMaker = await _bed.PendingItemAsync($"sla:{request.Id}:1:breach:maker");
        var breached = await _bed.Requests.GetAsync(request.TenantId, request.Id);
        await _bed.Requests.UpdateAsync(breached! with { Status = RequestStatus.Rejected });

        await _bed.HandleAsync(toMaker);

        Assert.Empty(_bed.Connector.Calls);
    }
}
