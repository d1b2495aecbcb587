using FusionBot.Features.Outbox;
using FusionBot.Requests;

namespace FusionBot.Features.Privacy;

public static class PrivacyServiceCollectionExtensions
{
    /// <summary>The CoE's <c>privacy export</c> and <c>privacy erase</c> commands, their outbox work and the export link.</summary>
    public static IServiceCollection AddFusionBotPrivacy(this IServiceCollection services)
    {
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section)
            .Validate(o => o.ExportLinkLifetime >= TimeSpan.FromMinutes(1) && o.ExportLinkLifetime <= TimeSpan.FromDays(1),
                "Privacy:ExportLinkLifetime must be between 00:01:00 and 1.00:00:00.")
            .ValidateOnStart();
        services.AddSingleton<PrivacyCommands>();
        services.AddSingleton<RequestPseudonymisation>();
        services.AddSingleton<PlatformPersonalData>();
        services.AddScoped<IOutboxHandler, PrivacyExportHandler>();
        services.AddScoped<IOutboxHandler, PrivacyEraseHandler>();
        return services;
    }
}
