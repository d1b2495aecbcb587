using FusionBot.Features.Outbox;

namespace FusionBot.Features.Portfolio;

public static class PortfolioServiceCollectionExtensions
{
    /// <summary>Periodic reviews of solutions in use, the CoE's portfolio report and its signed CSV export.</summary>
    public static IServiceCollection AddFusionBotPortfolio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortfolioOptions>().Bind(configuration.GetSection(PortfolioOptions.Section))
            .Validate(o => o.ReviewInterval > TimeSpan.Zero, "Portfolio:ReviewInterval must be positive.")
            .Validate(o => o.ReviewGrace > TimeSpan.Zero, "Portfolio:ReviewGrace must be positive.")
            .Validate(o => o.ExportLinkLifetime > TimeSpan.Zero, "Portfolio:ExportLinkLifetime must be positive.")
            .Validate(o => string.IsNullOrWhiteSpace(o.ExportSigningKey) || o.SigningKeyBytes() is not null,
                "Portfolio:ExportSigningKey must be base64 of at least 32 bytes.")
            .Validate(o => o.PublicBaseUrl is null || (o.PublicBaseUrl.IsAbsoluteUri && o.PublicBaseUrl.Scheme == Uri.UriSchemeHttps),
                "Portfolio:PublicBaseUrl must be an absolute https address.")
            .ValidateOnStart();

        services.AddHttpContextAccessor();
        services.AddSingleton<PortfolioReviews>();
        services.AddSingleton<PortfolioReviewCard>();
        services.AddSingleton<PortfolioAnswers>();
        services.AddSingleton<PortfolioLoader>();
        services.AddSingleton<PortfolioExportLinks>();
        services.AddSingleton<PortfolioCommands>();
        services.AddScoped<IOutboxHandler, PortfolioAskHandler>();
        services.AddScoped<IOutboxHandler, PortfolioReminderHandler>();
        return services;
    }
}
