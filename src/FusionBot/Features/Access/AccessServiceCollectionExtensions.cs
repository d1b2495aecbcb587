namespace FusionBot.Features.Access;

public static class AccessServiceCollectionExtensions
{
    public static IServiceCollection AddFusionBotAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GovernanceOptions>().Bind(configuration.GetSection(GovernanceOptions.Section))
            .PostConfigure(o => o.TenantId = string.IsNullOrWhiteSpace(o.TenantId) ? configuration["MicrosoftAppTenantId"] : o.TenantId);
        services.AddOptions<ReviewOptions>().Bind(configuration.GetSection(ReviewOptions.Section))
            .Validate(o => o.MembershipCacheDuration >= TimeSpan.Zero, "Review:MembershipCacheDuration must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<AccessPolicy>();
        return services;
    }
}
