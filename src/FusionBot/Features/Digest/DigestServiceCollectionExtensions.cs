using FusionBot.AI;
using FusionBot.Features.Outbox;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Digest;

public static class DigestServiceCollectionExtensions
{
    /// <summary>The weekly digest: options (validated at start), its schedule, commands and outbox handlers.</summary>
    public static IServiceCollection AddFusionBotDigest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DigestOptions>, DigestOptionsValidator>();

        services.AddSingleton<DigestSchedule>();
        services.AddSingleton<DigestArchive>();
        services.AddSingleton<DigestComposer>();
        services.AddSingleton<DigestBroadcast>();
        services.AddSingleton<DigestRuns>();
        services.AddSingleton<DigestSendThrottle>();
        services.AddSingleton<DigestCommands>();
        services.AddScoped<IOutboxHandler, DigestRunHandler>();
        services.AddScoped<IOutboxHandler, DigestBroadcastHandler>();
        services.AddScoped<IOutboxHandler, DigestDeliveryHandler>();
        services.AddHostedService<DigestRunStartup>();

        if (OpenAIOptions.IsConfiguredIn(configuration))
        {
            services.AddSingleton<IDigestThemeSummarizer, OpenAIDigestThemeSummarizer>();
        }

        return services;
    }
}
