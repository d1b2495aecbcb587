using FusionBot.Features.Outbox;
using FusionBot.Graph;

namespace FusionBot.Features.Review;

public static class ReviewServiceCollectionExtensions
{
    /// <summary>The review workflow: review cards and decisions, their outbox handlers, and Graph.</summary>
    public static IServiceCollection AddFusionBotReview(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFusionBotGraph(configuration);
        services.AddSingleton<ReviewCard>();
        services.AddSingleton<ReviewAudience>();
        services.AddSingleton<ReviewOutbox>();
        services.AddSingleton<ReviewDecisions>();
        services.AddSingleton<DesignReviewScheduling>();
        services.AddSingleton<ReviewActions>();
        services.AddScoped<IOutboxHandler, ReviewCardPost>();
        services.AddScoped<IOutboxHandler, ReviewCardUpdate>();
        services.AddScoped<IOutboxHandler, ReviewCardRetire>();
        services.AddScoped<IOutboxHandler, ReviewThreadReply>();
        services.AddScoped<IOutboxHandler, ReviewMakerNotice>();
        return services;
    }
}
