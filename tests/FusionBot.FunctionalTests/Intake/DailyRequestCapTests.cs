using FusionBot.Features.Intake;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.FunctionalTests.Intake;

/// <summary><c>Intake:MaxRequestsPerDay</c> through HTTP: counted at confirm, per maker and UTC day, nothing lost over the cap.</summary>
public abstract class DailyRequestCapTests : IAsyncLifetime
{
    private static readonly string[] Tier1Request = ["Power Apps", "My team", "5", "none", "Public", "None", "skip"];
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 22, 0, 0, TimeSpan.Zero));
    private BotHost _bot = null!;

    protected abstract AzuriteTableServer? TableStorage { get; }

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync(
        TableStorage,
        new Dictionary<string, string?> { ["Intake:MaxRequestsPerDay"] = "2" },
        services => services.AddSingleton<TimeProvider>(_clock));

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Over_the_cap_the_maker_is_told_and_the_summary_waits_to_be_confirmed_the_next_day()
    {
        await RequestAsync(TeamsUser.Maker, "First");
        await RequestAsync(TeamsUser.Maker, "Second");

        var refused = Texts(await RequestAsync(TeamsUser.Maker, "Third"));

        Assert.Contains("You have submitted 2 requests today", refused, StringComparison.Ordinal);
        Assert.Equal(["Second", "First"], (await RequestsOfAsync(TeamsUser.Maker)).Select(r => r.Title));
        var kept = await _bot.Services.GetRequiredService<IDialogStateStore>()
            .GetAsync<IntakeState>(_bot.Activities.TenantId + "|" + _bot.Activities.PersonalConversation(TeamsUser.Maker).Id!);
        Assert.Equal((IntakeState.SummaryStep, "Third"), (kept?.Value.Step, kept?.Value.Answers.SolutionName));

        Assert.Contains("You have submitted 2 requests today", Texts(await _bot.SayAsync("confirm")), StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Contains("Submitted", Texts(await _bot.SayAsync("confirm")), StringComparison.Ordinal);

        Assert.Equal(["Third", "Second", "First"], (await RequestsOfAsync(TeamsUser.Maker)).Select(r => r.Title));
    }

    [Fact]
    public async Task Another_maker_has_their_own_cap()
    {
        var other = new TeamsUser("29:maker-2", "Omar Other", "c3333333-3333-3333-3333-333333333333");
        await RequestAsync(TeamsUser.Maker, "First");
        await RequestAsync(TeamsUser.Maker, "Second");

        await RequestAsync(other, "Theirs");

        Assert.Equal(["Theirs"], (await RequestsOfAsync(other)).Select(r => r.Title));
    }

    private async Task<IReadOnlyList<Activity>> RequestAsync(TeamsUser user, string name)
    {
        await _bot.SayAsync("new request", user);
        await _bot.SayAsync(name, user);
        await _bot.SayAsync("Track team expenses", user);
        foreach (var answer in Tier1Request)
        {
            await _bot.SayAsync(answer, user);
        }

        return await _bot.SayAsync("confirm", user);
    }

    private async Task<IReadOnlyList<GovernanceRequest>> RequestsOfAsync(TeamsUser user) =>
        await _bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(_bot.Activities.TenantId, user.Id, 10);

    private static string Texts(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.Select(r => r.Text + " " + string.Join(" ", (r.Attachments ?? []).Select(a => a.Content?.ToJsonString()))));
}

public sealed class DailyRequestCapOnSqliteTests : DailyRequestCapTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class DailyRequestCapOnTableStorageTests(AzuriteFixture azurite) : DailyRequestCapTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
