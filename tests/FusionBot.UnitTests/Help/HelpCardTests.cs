using FusionBot.Features.Help;
using FusionBot.TestKit.Cards;

namespace FusionBot.UnitTests.Help;

public sealed class HelpCardTests
{
    [Fact]
    public async Task BothHelpCardsPassTheOfficialParser()
    {
        await AdaptiveCardValidator.AssertValidAsync(HelpCard.Build(inChannel: false), HelpCard.Build(inChannel: true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ListsTheChatCommandsAndOffersThemAsImBackButtons(bool inChannel)
    {
        var json = HelpCard.Build(inChannel).ToJsonString();

        foreach (var command in new[] { "new request", "my requests", "status FR-", "withdraw FR-", "cancel", "help" })
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

        foreach (var command in new[] { "register tier 2|3|4", "register community", "unregister", "channels" })
        {
            Assert.Contains($"\"title\":\"{command}", channel, StringComparison.Ordinal);
            Assert.DoesNotContain($"\"title\":\"{command}", chat, StringComparison.Ordinal);
        }
    }
}
