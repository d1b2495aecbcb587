using FusionBot.Features.Onboarding;
using FusionBot.Storage;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.Options;
using Moq;

namespace FusionBot.UnitTests.Onboarding;

public sealed class WelcomeCardsTests
{
    private static readonly OnboardingOptions WithLinks = new()
    {
        TrainingUrl = new Uri("https://coe.example/training"),
        GuidelinesUrl = new Uri("https://coe.example/guidelines"),
        RequireAcknowledgement = true,
    };

    [Fact]
    public async Task The_welcome_channel_and_guidelines_cards_pass_the_official_parser()
    {
        var gate = new GuidelinesGate(Options.Create(WithLinks), Mock.Of<IGuidelineAcknowledgementStore>(), TimeProvider.System);

        await AdaptiveCardValidator.AssertValidAsync(
            new WelcomeCards(Options.Create(WithLinks)).Personal(),
            new WelcomeCards(Options.Create(new OnboardingOptions())).Personal(),
            WelcomeCards.Channel(),
            gate.Card());
    }

    [Fact]
    public void Configured_links_become_open_url_buttons_beside_new_request_and_help()
    {
        var json = new WelcomeCards(Options.Create(WithLinks)).Personal().ToJsonString();

        Assert.Contains("\"url\":\"https://coe.example/training\"", json, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"https://coe.example/guidelines\"", json, StringComparison.Ordinal);
        Assert.Contains("{\"type\":\"imBack\",\"value\":\"new request\"}", json, StringComparison.Ordinal);
        Assert.Contains("{\"type\":\"imBack\",\"value\":\"help\"}", json, StringComparison.Ordinal);
        foreach (var tier in new[] { "Tier 1", "Tier 2", "Tier 3", "Tier 4" })
        {
            Assert.Contains($"\"title\":\"{tier}\"", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_links_the_welcome_card_has_no_open_url_button()
    {
        var json = new WelcomeCards(Options.Create(new OnboardingOptions())).Personal().ToJsonString();

        Assert.DoesNotContain("Action.OpenUrl", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_channel_card_names_the_register_commands()
    {
        var json = WelcomeCards.Channel().ToJsonString();

        Assert.Contains("register tier 2|3|4", json, StringComparison.Ordinal);
        Assert.Contains("register community", json, StringComparison.Ordinal);
    }
}
