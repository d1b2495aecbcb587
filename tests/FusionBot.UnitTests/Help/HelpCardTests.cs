using System.Text.Encodings.Web;
using System.Text.Json;
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
