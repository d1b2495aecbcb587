using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Classification;

public static class ClassificationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the connector catalogue (from the <c>Connectors</c> section, validated at start, or
    /// <see cref="ConnectorCatalogue.Default"/> when the section is absent) and the <see cref="TierClassifier"/>.
    /// </summary>
    public static IServiceCollection AddFusionBotClassification(this IServiceCollection services)
    {
        services.AddOptions<List<Connector>>().BindConfiguration(ConnectorCatalogue.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<List<Connector>>, ConnectorCatalogueValidator>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<List<Connector>>>().Value is { Count: > 0 } configured
            ? new ConnectorCatalogue(configured)
            : ConnectorCatalogue.Default);
        services.TryAddSingleton<TierClassifier>();
        return services;
    }
}
