using Microsoft.Extensions.Options;

namespace FusionBot.Features.Access;

public static class AccessServiceCollectionExtensions
{
    public static IServiceCollection AddFusionBotAccess(this IServiceCollection services)
    {
        // Admin and reviewer lists belong to the bot's own tenant unless Governance:TenantId says otherwise.
        services.AddOptions<GovernanceOptions>().BindConfiguration(GovernanceOptions.Section).ValidateOnStart()
            .PostConfigure<IConfiguration>((o, configuration) => o.TenantId = string.IsNullOrWhiteSpace(o.TenantId) ? configuration["MicrosoftAppTenantId"] : o.TenantId);
        services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReviewOptions>, ReviewOptionsValidator>();
        services.AddSingleton<AccessPolicy>();
        return services;
    }
}
