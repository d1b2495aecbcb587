namespace FusionBot.Features.Inventory;

public static class InventoryServiceCollectionExtensions
{
    /// <summary>What the bot knows of the tenant's solutions: the links makers make between requests and solutions.</summary>
    public static IServiceCollection AddFusionBotInventory(this IServiceCollection services)
    {
        services.AddSingleton<SolutionLinkCommands>();
        return services;
    }
}
