using FusionBot.Features.Components;

namespace FusionBot.Features.Onboarding;

public static class OnboardingServiceCollectionExtensions
{
    /// <summary>The welcome cards, the guidelines gate and the component catalogue a new maker is shown.</summary>
    public static IServiceCollection AddFusionBotOnboarding(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OnboardingOptions>().Bind(configuration.GetSection(OnboardingOptions.Section))
            .Validate(o => IsWebLink(o.TrainingUrl), "Onboarding:TrainingUrl must be an absolute http(s) URL.")
            .Validate(o => IsWebLink(o.GuidelinesUrl), "Onboarding:GuidelinesUrl must be an absolute http(s) URL.")
            .Validate(o => !o.RequireAcknowledgement || o.GuidelinesUrl is not null,
                "Onboarding:RequireAcknowledgement needs Onboarding:GuidelinesUrl: makers must be able to open what they confirm.")
            .ValidateOnStart();
        services.AddSingleton<WelcomeCards>();
        services.AddSingleton<GuidelinesGate>();
        services.AddSingleton<ComponentSuggestions>();
        services.AddSingleton<ComponentCommands>();
        return services;
    }

    private static bool IsWebLink(Uri? url) => url is null || (url.IsAbsoluteUri && url.Scheme is "https" or "http");
}
