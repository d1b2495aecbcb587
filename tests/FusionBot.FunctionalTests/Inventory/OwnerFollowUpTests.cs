using System.Net;
using FusionBot.Features.Inventory;
using FusionBot.Requests;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.FunctionalTests.Inventory;

/// <summary>
/// Owner cards left unanswered, against the fake tenant with a clock the test moves: a reminder to the owner after
/// 7 days and the CoE admins told after 14, each once even when the connector answers 503 the first time (one attempt
/// per send, so the outbox retries the item); nothing for a solution linked meanwhile or deleted since.
/// </summary>
public abstract class OwnerFollowUpTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private PlatformTenant _t = null!;

    protected abstract AzuriteTableServer? TableStorage { get; }

    public async Task InitializeAsync()
    {
        _t = await PlatformTenant.StartAsync(TableStorage,
            new Dictionary<string, string?> { ["BotFramework:Connector:MaxAttempts"] = "1" },
            services => services.AddSingleton<TimeProvider>(_clock));
        await _t.Bot.SayAsync("hi");
        await _t.Bot.SayAsync("hi", PlatformTenant.Admin);
    }

    public async Task DisposeAsync() => await _t.DisposeAsync();

    private IReadOnlyList<RecordedCall> Delivered(TeamsUser user, string text) =>
    [
        .. _t.Bot.Connector.Calls.Where(c => c.Succeeded && c.ConversationId == _t.Bot.Activities.PersonalConversation(user).Id
            && c.Body.Contains(text, StringComparison.Ordinal)),
    ];

    /// <summary>Moves the clock on, lets the connector answer 503 to the next send, then runs the outbox until the retried send went out.</summary>
    private async Task PassWithOne503Async(TimeSpan time)
    {
        _clock.Advance(time);
        _t.Bot.Connector.FailNext(ConnectorRoute.SendToConversation, 1, HttpStatusCode.ServiceUnavailable);
        await _t.DrainAsync();
        _clock.Advance(TimeSpan.FromHours(1));
        await _t.DrainAsync();
        await _t.DrainAsync();
    }

    [Fact]
    public async Task An_unanswered_card_is_reminded_once_after_7_days_and_the_CoE_told_once_after_14_and_a_linked_one_never()
    {
        await _t.SyncAsync();
        Assert.Single(Delivered(TeamsUser.Maker, "Your app Expense tracker is not registered yet"));
        Assert.Single(Delivered(TeamsUser.Maker, "Your agent HR helper is not registered yet"));
        var filed = await _t.InUseRequestAsync("HR questions");
        Assert.Contains("Linked", await _t.SayAsync($"link {filed.Id} agent {PlatformTenant.HrAgent} in {PlatformTenant.Production}"), StringComparison.Ordinal);

        await PassWithOne503Async(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        Assert.Single(Delivered(TeamsUser.Maker, "Reminder: your app Expense tracker is not registered yet"));
        Assert.Contains(_t.Bot.Connector.Calls, c => c.StatusCode == 503);
        Assert.Empty(Delivered(TeamsUser.Maker, "Reminder: your agent HR helper"));
        Assert.Empty(Delivered(PlatformTenant.Admin, "Still unregistered"));

        await PassWithOne503Async(TimeSpan.FromDays(7));

        var escalation = Assert.Single(Delivered(PlatformTenant.Admin, "Still unregistered"));
        Assert.Contains("Expense tracker", escalation.Body, StringComparison.Ordinal);
        Assert.Contains(TeamsUser.Maker.Name, escalation.Body, StringComparison.Ordinal);
        Assert.Empty(Delivered(PlatformTenant.Admin, "HR helper"));
        Assert.Single(Delivered(TeamsUser.Maker, "Reminder: your app Expense tracker"));
        await AdaptiveCardValidator.AssertValidAsync([.. _t.Bot.CardsSent()]);
    }

    [Fact]
    public async Task A_solution_deleted_before_its_reminder_is_neither_reminded_nor_escalated()
    {
        await _t.SyncAsync();
        Assert.Single(Delivered(TeamsUser.Maker, "Your app Expense tracker is not registered yet"));

        _t.Platform.DeleteApp(PlatformTenant.Default, PlatformTenant.ExpenseApp);
        await _t.SyncAsync();
        _clock.Advance(TimeSpan.FromDays(15));
        await _t.DrainAsync();

        Assert.Empty(Delivered(TeamsUser.Maker, "Reminder: your app Expense tracker"));
        Assert.Empty(Delivered(PlatformTenant.Admin, "Expense tracker"));
        // The agent is still there and still unanswered: its follow-ups went out.
        Assert.Single(Delivered(TeamsUser.Maker, "Reminder: your agent HR helper"));
        Assert.Single(Delivered(PlatformTenant.Admin, "HR helper"));
    }
}

public sealed class OwnerFollowUpOnSqliteTests : OwnerFollowUpTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class OwnerFollowUpOnTableStorageTests(AzuriteFixture azurite) : OwnerFollowUpTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
