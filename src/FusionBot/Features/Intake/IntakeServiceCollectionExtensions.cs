using FusionBot.AI;
using FusionBot.Features.Intake.Prefill;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Intake;

public static class IntakeServiceCollectionExtensions
{
    /// <summary>The intake dialog, its cards and the submission; the OpenAI pre-fill only when <c>OpenAI</c> is configured.</summary>
    public static IServiceCollection AddFusionBotIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IntakeDialog>();
        services.AddSingleton<IntakeCards>();
        services.AddSingleton<IntakeHandler>();
        services.AddSingleton<IntakeForm>();
        services.AddSingleton<IntakeFormDialog>();
        services.AddSingleton<RequestSubmission>();
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>();
        services.AddSingleton<DailyRequestCap>();
        services.AddSingleton<SelfCertification>();
        services.AddSingleton<Resubmission>();

        if (OpenAIOptions.IsConfiguredIn(configuration))
        {
            services.AddSingleton<IIntakePrefiller, OpenAIIntakePrefiller>();
        }

        return services;
    }
}
