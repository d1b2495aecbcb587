using Microsoft.Extensions.Options;

namespace FusionBot.Features.Onboarding;

public static class OnboardingServiceCollectionExtensions
{
    /// <summary>The welcome cards and the guidelines gate, with their options validated at start.</summary>
    public static IServiceCollection AddFusionBotOnboarding(this IServiceCollection services)
    {
        services.AddOptions<OnboardingOptions>().BindConfiguration(OnboardingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OnboardingOptions>, OnboardingOptionsValidator>();
        services.AddSingleton<WelcomeCards>();
        services.AddSingleton<GuidelinesGate>();
        return services;
    }
}
