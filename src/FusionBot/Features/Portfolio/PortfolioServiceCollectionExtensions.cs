using FusionBot.Features.Outbox;
using FusionBot.Requests;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Portfolio;

public static class PortfolioServiceCollectionExtensions
{
    /// <summary>Periodic reviews of solutions in use, the CoE's portfolio report and its signed CSV export.</summary>
    public static IServiceCollection AddFusionBotPortfolio(this IServiceCollection services)
    {
        services.AddOptions<PortfolioOptions>().BindConfiguration(PortfolioOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortfolioOptions>, PortfolioOptionsValidator>();

        services.AddSingleton<PortfolioReviews>();
        services.AddSingleton<IPeriodicReviewPlanner>(sp => sp.GetRequiredService<PortfolioReviews>());
        services.AddSingleton<PortfolioReviewCard>();
        services.AddSingleton<PortfolioAnswers>();
        services.AddSingleton<PortfolioReader>();
        services.AddSingleton<PortfolioExportLinks>();
        services.AddSingleton<PortfolioExports>();
        services.AddScoped<IOutboxHandler, PortfolioExportHandler>();
        services.AddSingleton<PortfolioCommands>();
        services.AddScoped<IOutboxHandler, PortfolioAskHandler>();
        services.AddScoped<IOutboxHandler, PortfolioReminderHandler>();
        services.AddScoped<IOutboxHandler, PortfolioOverdueHandler>();
        services.AddScoped<IOutboxHandler, PortfolioOverdueNoticeHandler>();
        return services;
    }
}
