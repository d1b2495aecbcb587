using FusionBot.Features.Outbox;
using FusionBot.Requests;

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
            .ValidateOnStart();

        services.AddSingleton<PortfolioReviews>();
        services.AddSingleton<IPeriodicReviewPlanner>(sp => sp.GetRequiredService<PortfolioReviews>());
        services.AddSingleton<PortfolioReviewCard>();
        services.AddSingleton<PortfolioAnswers>();
        services.AddSingleton<PortfolioLoader>();
        services.AddSingleton<PortfolioExportLinks>();
        services.AddSingleton<PortfolioCommands>();
        services.AddScoped<IOutboxHandler, PortfolioAskHandler>();
        services.AddScoped<IOutboxHandler, PortfolioReminderHandler>();
        services.AddScoped<IOutboxHandler, PortfolioOverdueHandler>();
        services.AddScoped<IOutboxHandler, PortfolioOverdueNoticeHandler>();
        return services;
    }
}
