namespace FusionBot.Features.Onboarding;

public static class OnboardingServiceCollectionExtensions
{
    /// <summary>The welcome cards and the guidelines gate, with their options validated at start.</summary>
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
        return services;
    }

    private static bool IsWebLink(Uri? url) => url is null || (url.IsAbsoluteUri && url.Scheme is "https" or "http");
}
