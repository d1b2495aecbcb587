using Cronos;
using FusionBot.Features.Intake.Prefill;
using FusionBot.Features.Outbox;

namespace FusionBot.Features.Digest;

public static class DigestServiceCollectionExtensions
{
    /// <summary>The weekly digest: options (validated at start), its schedule, commands and outbox handlers.</summary>
    public static IServiceCollection AddFusionBotDigest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DigestOptions>().Bind(configuration.GetSection(DigestOptions.Section))
            .Validate(o => IsCron(o.Schedule), "Digest:Schedule must be a five-field cron expression, e.g. \"0 9 * * 1\".")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Digest:TimeZone must be an IANA time zone id, e.g. \"Europe/London\".")
            .Validate(o => o.Window > TimeSpan.Zero, "Digest:Window must be positive.")
            .Validate(o => o.MaxSendsPerSecond > 0, "Digest:MaxSendsPerSecond must be positive.")
            .Validate(o => o.ThemesTimeout > TimeSpan.Zero, "Digest:ThemesTimeout must be positive.")
            .ValidateOnStart();

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

        if (configuration.GetSection(OpenAIOptions.Section).Get<OpenAIOptions>()?.IsConfigured == true)
        {
            services.AddSingleton<IDigestThemeSummarizer, OpenAIDigestThemeSummarizer>();
        }

        return services;
    }

    private static bool IsCron(string expression)
    {
        try
        {
            CronExpression.Parse(expression);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }
}
