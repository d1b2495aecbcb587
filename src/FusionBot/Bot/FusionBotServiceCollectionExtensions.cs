using FusionBot.AI;
using FusionBot.Features.Access;
using FusionBot.Features.Backlog;
using FusionBot.Features.Channels;
using FusionBot.Features.Chat;
using FusionBot.Features.Classification;
using FusionBot.Features.Components;
using FusionBot.Features.Digest;
using FusionBot.Features.Intake;
using FusionBot.Features.Inventory;
using FusionBot.Features.Onboarding;
using FusionBot.Features.Outbox;
using FusionBot.Features.Pipelines;
using FusionBot.Features.Portfolio;
using FusionBot.Features.Privacy;
using FusionBot.Features.Review;
using FusionBot.Features.Sla;
using FusionBot.Features.Tracking;
using FusionBot.Hosting;
using FusionBot.Links;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FusionBot.Bot;

public static class FusionBotServiceCollectionExtensions
{
    /// <summary>Everything FusionBot needs: the protocol, storage, and each feature.</summary>
    public static IServiceCollection AddFusionBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddBotFramework(configuration);
        services.AddFusionBotStorage();
        services.AddFusionBotClassification();
        services.AddFusionBotSla();
        services.AddFusionBotAccess();
        services.AddFusionBotOutbox();
        services.AddFusionBotRequests();
        services.AddFusionBotLinks();
        services.AddFusionBotAI();
        services.AddFusionBotIntake(configuration);
        services.AddFusionBotDigest(configuration);
        services.AddFusionBotOnboarding();
        services.AddFusionBotComponents(configuration);
        services.AddFusionBotReview(configuration);
        services.AddFusionBotChannels();
        services.AddFusionBotPortfolio();
        services.AddFusionBotPrivacy();
        services.AddFusionBotInventory(configuration);
        services.AddFusionBotPipelines();
        services.AddFusionBotBacklog();
        services.AddSingleton<RequestTracking>();
        services.AddSingleton<PersonalChat>();
        services.AddFusionBotHandlerWithRateLimit();
        // Telemetry around the whole turn, rate limiting included, so throttled turns are counted too.
        services.AddSingleton<RateLimitedBot>();
        services.Replace(ServiceDescriptor.Singleton<IBot>(sp => new TelemetryBot(sp.GetRequiredService<RateLimitedBot>())));
        return services;
    }
}
