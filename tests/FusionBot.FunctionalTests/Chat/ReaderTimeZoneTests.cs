using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.FunctionalTests.Sla;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Chat;

/// <summary>
/// Times in plain-text messages over HTTP into /api/messages, on each store: in the zone the reader's Teams client reports
/// in <c>clientInfo</c> (kept with their 1:1 reference for later messages), with the offset; in UTC, saying so, otherwise.
/// Zones without daylight saving keep the expectations fixed whatever the date of the run.
/// </summary>
public abstract class ReaderTimeZoneTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private static readonly TeamsUser Admin = new("29:admin", "Ada Admin", SlaScenario.AdminId);
    private static readonly TeamsUser Maker = new("29:maker-1", "Maker 1", "aad-maker-1");
    private static readonly TeamsUser Reviewer = new("29:reviewer-1", "Ravi Reviewer", "aad-reviewer-1");

    protected abstract AzuriteTableServer? TableStorage { get; }

    [Fact]
    public async Task SLA_messages_give_the_due_time_in_each_readers_zone_and_in_UTC_to_the_channel()
    {
        await using var host = await BotHost.StartAsync(TableStorage, SlaScenario.Settings());
        var scenario = new SlaScenario(host);
        await scenario.PrepareCoeAsync();
        // Each says something in the 1:1 chat from their Teams client; the maker later from one that sends no clientInfo.
        await SayFromAsync(host, Admin, "hi", "America/Bogota");
        await SayFromAsync(host, Maker, "hi", "Asia/Kolkata");
        await host.SayAsync("my requests", Maker);
        await SayFromAsync(host, Reviewer, "hi", "Asia/Tokyo");

        var request = await scenario.SeedInReviewAsync(1, new Person(Reviewer.Id, Reviewer.AadObjectId, Reviewer.Name));
        await scenario.WaitUntilSettledAsync(SlaScenario.ItemIds(request), Generous);

        var due = request.DueAt!.Value;
        var reminders = Texts(host, request.ReviewCard!.ConversationId, request.Id);
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, text => Assert.Contains($"due {Local(due, 9)} UTC+9.", text, StringComparison.Ordinal));
        Assert.Contains($"it was due {Local(due, 5.5)} UTC+5:30.", Assert.Single(Texts(host, request.MakerConversation!.Conversation!.Id!, request.Id)), StringComparison.Ordinal);
        Assert.Contains($"was due {Local(due, -5)} UTC-5 and", Assert.Single(Texts(host, host.Activities.PersonalConversation(Admin).Id!, request.Id)), StringComparison.Ordinal);
        Assert.Contains($"was due {Local(due, 0)} UTC and", Assert.Single(Texts(host, SlaScenario.CommunityChannelId, request.Id)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_in_the_chat_gives_the_time_in_the_senders_zone_or_says_UTC()
    {
        await using var host = await BotHost.StartAsync(TableStorage, SlaScenario.Settings());
        foreach (var text in new[] { "new request", "Desk rota", "Plan who covers the front desk", "Power Apps", "My team", "8", "none", "Internal", "None", "skip", "confirm" })
        {
            Assert.NotEmpty(await host.SayAsync(text, Maker));
        }

        var requestId = Assert.Single(await host.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(host.Activities.TenantId, Maker.Id, 10)).Id;
        var certify = host.Activities.PersonalMessage("", Maker);
        certify.Text = null;
        certify.Value = new JsonObject
        {
            ["selfCertify"] = requestId, ["dataInTeam"] = "true", ["sharedWithTeam"] = "true", ["noSensitiveData"] = "true", ["ownersNamed"] = "true",
        };
        var inKolkata = Assert.Single(await host.TurnAsync(TeamsActivityBuilder.WithClientInfo(certify, "Asia/Kolkata"))).Text!;
        Assert.Matches(@"^Self-certified FR-\d+ on \d{4}-\d\d-\d\d \d\d:\d\d UTC\+5:30\.", inKolkata);

        // The same click again, from a client that reports no zone: the same time, in UTC.
        certify.Id += "-again";
        certify.Entities = null;
        var inUtc = Assert.Single(await host.TurnAsync(certify)).Text!;
        var at = DateTimeOffset.ParseExact(inKolkata.Split(" on ")[1][..16], "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.StartsWith($"Self-certified {requestId} on {at.AddMinutes(-330).UtcDateTime:yyyy-MM-dd HH:mm} UTC.", inUtc, StringComparison.Ordinal);
    }

    private static Task<IReadOnlyList<FusionBot.Protocol.Models.Activity>> SayFromAsync(BotHost host, TeamsUser user, string text, string timeZone) =>
        host.TurnAsync(TeamsActivityBuilder.WithClientInfo(host.Activities.PersonalMessage(text, user), timeZone));

    private static string Local(DateTimeOffset at, double offsetHours) =>
        at.ToOffset(TimeSpan.FromHours(offsetHours)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static List<string> Texts(BotHost host, string conversationId, string requestId) =>
    [
        .. host.Connector.Calls.Where(c => c.Succeeded && c.ConversationId == conversationId && c.Activity?.Text?.Contains($"**{requestId}**", StringComparison.Ordinal) == true)
            .Select(c => c.Activity!.Text!),
    ];
}

public sealed class ReaderTimeZoneOnSqliteTests : ReaderTimeZoneTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class ReaderTimeZoneOnTableStorageTests(AzuriteFixture azurite) : ReaderTimeZoneTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
