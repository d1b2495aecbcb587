using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;

namespace FusionBot.FunctionalTests.Chat;

/// <summary>What people type without reading the help first: greetings, a bare "status", request ids typed loosely.</summary>
public sealed class NaturalInputTests : IAsyncLifetime
{
    private BotHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Governance:AdminIds:0"] = "c3333333-3333-3333-3333-333333333333",
        ["Review:ReviewerIds:0"] = TeamsUser.Reviewer.AadObjectId,
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private static readonly TeamsUser Admin = new("29:admin-1", "Ada Admin", "c3333333-3333-3333-3333-333333333333");

    /// <summary>Every text of the replies, cards included, as written (not JSON-escaped).</summary>
    private static string Texts(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.SelectMany(r => (IEnumerable<string?>)[r.Text, .. (r.Attachments ?? []).SelectMany(a => Strings(a.Content))]));

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private async Task SubmitTierOneRequestAsync(string name)
    {
        foreach (var text in new[] { "new request", name, "Track team expenses", "Power Apps", "My team", "8", "none", "Internal", "None", "skip", "confirm" })
        {
            Assert.NotEmpty(await _bot.SayAsync(text));
        }
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("Hello!")]
    [InlineData("hey there")]
    [InlineData("Good morning")]
    public async Task A_greeting_is_answered_with_a_welcome_and_the_main_buttons(string greeting)
    {
        var replies = await _bot.SayAsync(greeting);

        var reply = Assert.Single(replies);
        var card = Texts(replies) + string.Join(" ", replies.SelectMany(r => r.Attachments ?? []).Select(a => a.Content?.ToJsonString()));
        Assert.Contains("Hi Mia!", card);
        Assert.DoesNotContain("didn't catch", card);
        foreach (var button in new[] { "new request", "my requests", "help" })
        {
            Assert.Contains($"{{\"type\":\"imBack\",\"value\":\"{button}\"}}", card);
        }
        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    [Fact]
    public async Task A_bare_status_lists_the_makers_requests()
    {
        Assert.Contains("You have no requests yet", Texts(await _bot.SayAsync("status")));

        await SubmitTierOneRequestAsync("Expense tracker");

        var list = Texts(await _bot.SayAsync("Status"));
        Assert.Contains("FR-000001", list);
        Assert.Contains("Expense tracker", list);
    }

    [Theory]
    [InlineData("status FR-1")]
    [InlineData("status fr 000001")]
    [InlineData("status fr1")]
    [InlineData("status #1")]
    [InlineData("status 1")]
    [InlineData("STATUS FR-000001")]
    public async Task Request_ids_typed_loosely_find_the_request(string command)
    {
        await SubmitTierOneRequestAsync("Expense tracker");

        var status = Texts(await _bot.SayAsync(command));

        Assert.Contains("FR-000001 · Expense tracker", status);
    }

    [Fact]
    public async Task Withdraw_reads_a_loose_id_too()
    {
        await SubmitTierOneRequestAsync("Expense tracker");

        Assert.Contains("Withdrawn: FR-000001", Texts(await _bot.SayAsync("withdraw fr 1")));
    }

    [Fact]
    public async Task A_name_that_starts_like_a_greeting_stays_an_answer()
    {
        await _bot.SayAsync("new request");

        var next = Texts(await _bot.SayAsync("Hello world tracker"));

        Assert.Contains("question 2 of 9", next);
        Assert.DoesNotContain("Hi Mia!", next);
    }

    [Fact]
    public async Task Help_shows_each_person_the_commands_of_their_role()
    {
        var maker = Texts(await _bot.SayAsync("help"));
        var reviewer = Texts(await _bot.SayAsync("help", TeamsUser.Reviewer));
        var admin = Texts(await _bot.SayAsync("help", Admin));

        Assert.Contains("resubmit FR-12", maker);
        Assert.DoesNotContain("You review requests", maker);
        Assert.DoesNotContain("For CoE admins", maker);

        Assert.Contains("You review requests", reviewer);
        Assert.DoesNotContain("For CoE admins", reviewer);

        Assert.Contains("You review requests", admin);
        Assert.Contains("For CoE admins", admin);
        Assert.Contains("component retire \\<name\\>", admin);
        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    [Fact]
    public async Task With_no_admin_configured_a_refusal_says_how_to_configure_one()
    {
        await using var unconfigured = await BotHost.StartAsync();

        var refusal = string.Join(" ", (await unconfigured.SayAsync("portfolio")).Select(a => a.Text));

        Assert.Contains("Only CoE admins can see the portfolio.", refusal);
        Assert.Contains("Governance__AdminIds__0", refusal);
        Assert.DoesNotContain("Governance__AdminIds__0", string.Join(" ", (await _bot.SayAsync("portfolio")).Select(a => a.Text)));
    }
}
