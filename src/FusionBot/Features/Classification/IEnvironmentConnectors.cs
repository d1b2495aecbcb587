namespace FusionBot.Features.Classification;

/// <summary>
/// The Power Platform environments a solution may live in, for intake to ask which, with what the tenant's data
/// policies allow there. Implemented by the inventory when the Power Platform is connected; without it intake asks
/// nothing about environments and the configured catalogue decides.
/// </summary>
public interface IEnvironmentConnectors
{
    /// <summary>The tenant's environments, the default one first; empty when its Power Platform is not connected (or not synced yet).</summary>
    Task<IReadOnlyList<ConnectorEnvironment>> ForTenantAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>
/// One environment as intake offers it. <see cref="Connectors"/> holds the catalogue's connectors with their standing
/// there; <see cref="CustomConnectors"/> and <see cref="Http"/> say what the policies make of a custom connector and of
/// HTTP (any web address), the two ways to reach an external API.
/// </summary>
public sealed record ConnectorEnvironment(string Name, string DisplayName, bool IsDefault, ConnectorCatalogue Connectors, Connector CustomConnectors, Connector Http)
{
    /// <summary>
    /// Why an external API cannot be reached here (custom connectors and HTTP both blocked), else null: a blocked way
    /// alone leaves the other.
    /// </summary>
    public string? ExternalApiBlocked => CustomConnectors.Status == ConnectorStatus.Blocked && Http.Status == ConnectorStatus.Blocked
        ? $"An external API is out of reach in {DisplayName}: its data policies block both custom connectors and HTTP. Pick another environment, or leave the external API out."
        : null;
}
