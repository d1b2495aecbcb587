using Microsoft.Extensions.Options;

namespace FusionBot.Features.Sla;

public static class SlaServiceCollectionExtensions
{
    /// <summary>Binds and validates the <c>Sla</c> section at startup and registers the <see cref="SlaClock"/>.</summary>
    public static IServiceCollection AddFusionBotSla(this IServiceCollection services)
    {
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlaOptions>, SlaOptionsValidator>();
        services.AddSingleton<SlaClock>();
        return services;
    }
}
