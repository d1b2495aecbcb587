using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.Features.Help;
using FusionBot.TestKit.Cards;

namespace FusionBot.UnitTests.Help;

public sealed class HelpCardTests
{
    [Fact]
    public async Task BothHelpCardsPassTheOfficialParser()
    {
        await AdaptiveCardValidator.AssertValidAsync(
            HelpCard.Build(inChannel: false), HelpCard.Build(inChannel: true),
            HelpCard.Build(inChannel: false, isReviewer: true), HelpCard.Build(inChannel: false, isReviewer: true, isAdmin: true),
            HelpCard.Greeting("Mia Maker"), HelpCard.Greeting(null));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ListsTheChatCommandsAndOffersThemAsImBackButtons(bool inChannel)
    {
        var json = HelpCard.Build(inChannel).ToJsonString();

        foreach (var command in new[] { "new request", "my requests", "status FR-12", "withdraw FR-12", "resubmit FR-12", "cancel", "back", "help" })
        {
            Assert.Contains($"\"title\":\"{command}", json, StringComparison.Ordinal);
        }
        foreach (var tier in new[] { "Tier 1", "Tier 2", "Tier 3", "Tier 4" })
        {
            Assert.Contains($"\"title\":\"{tier}\"", json, StringComparison.Ordinal);
        }
        foreach (var button in new[] { "new request", "my requests", "help" })
        {
            Assert.Contains($"{{\"type\":\"imBack\",\"value\":\"{button}\"}}", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ChannelCommandsAppearOnlyInChannels()
    {
        var chat = HelpCard.Build(inChannel: false).ToJsonString();
        var channel = HelpCard.Build(inChannel: true).ToJsonString();

        foreach (var command in new[] { "register tier 2", "register community", "unregister tier 2", "channels" })
        {
            Assert.Contains($"\"title\":\"{command}", channel, StringComparison.Ordinal);
            Assert.DoesNotContain($"\"title\":\"{command}", chat, StringComparison.Ordinal);
        }
    }
}

public sealed class HelpCardRoleTests
{
    private static string Json(bool isReviewer, bool isAdmin) => HelpCard.Build(inChannel: false, isReviewer, isAdmin).ToJsonString();

    [Fact]
    public void Makers_see_their_commands_only()
    {
        var maker = Json(isReviewer: false, isAdmin: false);

        Assert.DoesNotContain("digest preview", maker, StringComparison.Ordinal);
        Assert.DoesNotContain("component add", maker, StringComparison.Ordinal);
        Assert.DoesNotContain("You review requests", maker, StringComparison.Ordinal);
    }

    [Fact]
    public void Reviewers_get_a_line_on_how_they_review_and_no_admin_commands()
    {
        var reviewer = Json(isReviewer: true, isAdmin: false);

        Assert.Contains("You review requests", reviewer, StringComparison.Ordinal);
        Assert.DoesNotContain("digest preview", reviewer, StringComparison.Ordinal);
    }

    [Fact]
    public void Admins_get_every_admin_command_in_plain_words_with_placeholders_kept()
    {
        var admin = HelpCard.Build(inChannel: false, isReviewer: true, isAdmin: true);
        var titles = admin.ToJsonString();

        foreach (var command in new[] { "component add", "digest preview", "digest send", "digest status", "digest schedule", "portfolio", "portfolio tier 3", "portfolio overdue", "portfolio export" })
        {
            Assert.Contains($"\"title\":\"{command}\"", titles, StringComparison.Ordinal);
        }
        // Escaped, so the renderer shows "<name>" instead of reading it as an HTML tag and dropping it.
        var facts = admin.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains(@"component retire \\<name\\>", facts, StringComparison.Ordinal);
        Assert.Contains(@"digest note \\<text\\>", facts, StringComparison.Ordinal);
        Assert.DoesNotContain("|", titles, StringComparison.Ordinal);
    }
}

public sealed class HelpCardLengthTests
{
    private static readonly string[] MakerCommands =
    [
        "new request", "new request form", "my requests", "status FR-12", "withdraw FR-12", "resubmit FR-12", "back", "cancel",
        "edit audience", "components", "connectors", "link FR-12 \\<address\\>", "subscribe digest", "unsubscribe digest", "help",
    ];

    private static readonly string[] AdminCommands =
    [
        "portfolio", "portfolio tier 3", "portfolio overdue", "portfolio export", "portfolio ungoverned", "platform sync",
        "digest preview", "digest note \\<text\\>", "digest send", "digest status", "digest schedule",
        "component add", "component retire \\<name\\>", "privacy export \\<user\\>", "privacy erase \\<user\\>",
    ];

    public static TheoryData<bool, bool, bool> Readers => new()
    {
        { false, false, false }, { false, true, false }, { false, true, true }, { true, false, false },
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public void Every_command_of_the_reader_is_on_the_card_once_and_at_most_six_show_before_a_press(bool inChannel, bool isReviewer, bool isAdmin)
    {
        var card = HelpCard.Build(inChannel, isReviewer, isAdmin);

        var facts = Facts(card, foldedToo: true).ToList();
        foreach (var command in isAdmin ? [.. MakerCommands, .. AdminCommands] : MakerCommands)
        {
            Assert.Single(facts, title => title == command);
        }
        Assert.DoesNotContain(facts, title => !isAdmin && AdminCommands.Contains(title));
        // The card's length is what is open before anyone presses a button: one short section of commands.
        Assert.InRange(Facts(card, foldedToo: false).Count(), 4, 6);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Each_section_button_opens_its_section_and_closes_every_other(bool inChannel, bool isReviewer, bool isAdmin)
    {
        var card = HelpCard.Build(inChannel, isReviewer, isAdmin);
        var folded = Elements(card).Where(e => e["isVisible"]?.GetValue<bool>() == false).Select(e => e["id"]!.GetValue<string>()).ToList();
        var toggles = Elements(card).Where(e => (string?)e["type"] == "ActionSet")
            .SelectMany(set => set["actions"]!.AsArray()).Where(a => (string?)a!["type"] == "Action.ToggleVisibility").ToList();

        Assert.Equal(folded.Count, toggles.Count);
        Assert.Contains("tiers", folded);
        foreach (var toggle in toggles)
        {
            var targets = toggle!["targetElements"]!.AsArray();
            var opens = targets.Where(t => t is JsonValue).Select(t => t!.GetValue<string>()).ToList();
            var closes = targets.OfType<JsonObject>().Where(t => t["isVisible"]?.GetValue<bool>() == false).Select(t => t["elementId"]!.GetValue<string>());
            var open = Assert.Single(opens);
            Assert.Equal(folded.Where(id => id != open).Order(), closes.Order());
        }
    }

    private static IEnumerable<string> Facts(JsonNode card, bool foldedToo) =>
        Elements(card, foldedToo).Where(e => (string?)e["type"] == "FactSet")
            .SelectMany(set => set["facts"]!.AsArray()).Select(f => f!["title"]!.GetValue<string>());

    private static IEnumerable<JsonObject> Elements(JsonNode card, bool foldedToo = true)
    {
        foreach (var element in card["body"]!.AsArray().OfType<JsonObject>())
        {
            if (foldedToo || element["isVisible"]?.GetValue<bool>() != false)
            {
                yield return element;
            }
        }
    }
}
