namespace FusionBot.Features.Components;

public static class ComponentsServiceCollectionExtensions
{
    /// <summary>The component catalogue's commands and the intake suggestions (the store comes with storage).</summary>
    public static IServiceCollection AddFusionBotComponents(this IServiceCollection services)
    {
        services.AddSingleton<ComponentSuggestions>();
        services.AddSingleton<ComponentCommands>();
        return services;
    }
}
