using FusionBot.Features.Classification;
using FusionBot.Features.Digest;
using FusionBot.Features.Outbox;
using FusionBot.PowerPlatform;

namespace FusionBot.Features.Inventory;

public static class InventoryServiceCollectionExtensions
{
    /// <summary>
    /// What the bot knows of the tenant's solutions: links between requests and solutions, and, with the Power Platform
    /// connected (<c>Platform:TenantId</c>), the daily sync, the owner cards and the per-environment connector rules.
    /// </summary>
    public static IServiceCollection AddFusionBotInventory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFusionBotPowerPlatform(configuration);
        services.AddSingleton<SolutionLinkCommands>();
        services.AddSingleton<InventoryStore>();
        services.AddSingleton<InventoryCommands>();
        if (string.IsNullOrWhiteSpace(configuration[$"{PowerPlatformOptions.Section}:TenantId"]))
        {
            return services;
        }

        services.AddSingleton<IEnvironmentConnectors, IntakeEnvironments>();
        services.AddSingleton<IDigestInventory, InventoryDigest>();
        services.AddScoped<IOutboxHandler, PlatformSyncHandler>();
        services.AddScoped<IOutboxHandler, OwnerCardHandler>();
        services.AddScoped<IOutboxHandler, OwnerFollowUpHandler>();
        services.AddHostedService<PlatformSyncStartup>();
        return services;
    }
}
