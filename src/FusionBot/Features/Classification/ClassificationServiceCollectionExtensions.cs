using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FusionBot.Features.Classification;

public static class ClassificationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the connector catalogue (from the <c>Connectors</c> section, or <see cref="ConnectorCatalogue.Default"/>
    /// when the section is absent) and the <see cref="TierClassifier"/>.
    /// </summary>
    public static IServiceCollection AddFusionBotClassification(this IServiceCollection services, IConfiguration configuration)
    {
        var configured = configuration.GetSection(ConnectorCatalogue.SectionName).Get<List<Connector>>();
        services.TryAddSingleton(configured is { Count: > 0 } ? new ConnectorCatalogue(configured) : ConnectorCatalogue.Default);
        services.TryAddSingleton<TierClassifier>();
        return services;
    }
}
