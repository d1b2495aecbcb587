using FusionBot.Features.Intake.Prefill;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Intake;

public static class IntakeServiceCollectionExtensions
{
    /// <summary>The intake dialog, its cards and the submission; the OpenAI pre-fill only when <c>OpenAI</c> is configured.</summary>
    public static IServiceCollection AddFusionBotIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IntakeQuestions>();
        services.AddSingleton<IntakeDialog>();
        services.AddSingleton<IntakeCards>();
        services.AddSingleton<IntakeHandler>();
        services.AddSingleton<RequestSubmission>();
        services.AddOptions<IntakeOptions>().Bind(configuration.GetSection(IntakeOptions.Section))
            .Validate(o => o.MaxRequestsPerDay > 0, "Intake:MaxRequestsPerDay must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<DailyRequestCap>();
        services.AddSingleton<SelfCertification>();
        services.AddSingleton<Resubmission>();

        var openAI = configuration.GetSection(OpenAIOptions.Section);
        services.AddOptions<OpenAIOptions>().Bind(openAI)
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromSeconds(5), "OpenAI:Timeout must be between 0 and 5 seconds.")
            .Validate(o => o.IsConfigured || (o.Endpoint is null && string.IsNullOrWhiteSpace(o.Deployment)),
                "OpenAI:Endpoint and OpenAI:Deployment go together: set both to use the model, or neither.")
            .ValidateOnStart();
        if (openAI.Get<OpenAIOptions>()?.IsConfigured == true)
        {
            services.AddSingleton<IIntakePrefiller, OpenAIIntakePrefiller>();
        }

        return services;
    }
}
