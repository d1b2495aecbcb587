using FusionBot.AI;

namespace FusionBot.Features.Components;

public static class ComponentsServiceCollectionExtensions
{
    /// <summary>
    /// The component catalogue's commands and the intake suggestions (the store comes with storage); the model ranks
    /// suggestions only when <c>OpenAI</c> is configured.
    /// </summary>
    public static IServiceCollection AddFusionBotComponents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ComponentSuggestions>();
        services.AddSingleton<ComponentCommands>();
        services.AddSingleton<ComponentOpenLinks>();
        if (OpenAIOptions.IsConfiguredIn(configuration))
        {
            services.AddSingleton<IComponentRanker, OpenAIComponentRanker>();
        }

        return services;
    }
}
