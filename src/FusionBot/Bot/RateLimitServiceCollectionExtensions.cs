namespace FusionBot.Bot;

public static class RateLimitServiceCollectionExtensions
{
    /// <summary>The bot's turn handler behind the per-user rate limit (section <c>RateLimit</c>).</summary>
    public static IServiceCollection AddFusionBotHandlerWithRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.PermitsPerPeriod > 0, "RateLimit:PermitsPerPeriod must be at least 1.")
            .Validate(o => o.Period > TimeSpan.Zero && o.Period <= TimeSpan.FromDays(1), "RateLimit:Period must be positive and at most a day.")
            .ValidateOnStart();
        services.AddSingleton<FusionBotHandler>();
        services.AddSingleton<Protocol.Hosting.IBot, RateLimitedBot>();
        return services;
    }
}
