using Microsoft.Extensions.Options;

namespace FusionBot.Bot;

public static class RateLimitServiceCollectionExtensions
{
    /// <summary>The bot's turn handler behind the per-user rate limit (section <c>RateLimit</c>).</summary>
    public static IServiceCollection AddFusionBotHandlerWithRateLimit(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.AddSingleton<FusionBotHandler>();
        services.AddSingleton<Protocol.Hosting.IBot, RateLimitedBot>();
        return services;
    }
}
