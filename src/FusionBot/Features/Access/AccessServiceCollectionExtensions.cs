using Microsoft.Extensions.Options;

namespace FusionBot.Features.Access;

public static class AccessServiceCollectionExtensions
{
    public static IServiceCollection AddFusionBotAccess(this IServiceCollection services)
    {
        services.AddOptions<GovernanceOptions>().BindConfiguration(GovernanceOptions.Section).ValidateOnStart();
        services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReviewOptions>, ReviewOptionsValidator>();
        services.AddSingleton<AccessPolicy>();
        return services;
    }
}
