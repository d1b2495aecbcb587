using FusionBot.Features.Onboarding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FusionBot.UnitTests.Onboarding;

public sealed class OnboardingOptionsTests
{
    private static OnboardingOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddFusionBotOnboarding().BuildServiceProvider();
        return provider.GetRequiredService<IOptions<OnboardingOptions>>().Value;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Nothing_configured_means_no_links_and_no_gate(string? blank)
    {
        var options = Bind(new() { ["Onboarding:TrainingUrl"] = blank, ["Onboarding:GuidelinesUrl"] = blank });

        Assert.Null(options.TrainingUrl);
        Assert.Null(options.GuidelinesUrl);
        Assert.False(options.RequireAcknowledgement);
    }

    [Theory]
    [InlineData("Onboarding:TrainingUrl", "/training", "Onboarding:TrainingUrl must be an absolute http(s) URL.")]
    [InlineData("Onboarding:GuidelinesUrl", "ftp://coe.example/guidelines", "Onboarding:GuidelinesUrl must be an absolute http(s) URL.")]
    [InlineData("Onboarding:RequireAcknowledgement", "true", "Onboarding:RequireAcknowledgement needs Onboarding:GuidelinesUrl")]
    public void A_wrong_setting_is_refused_naming_the_key(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
