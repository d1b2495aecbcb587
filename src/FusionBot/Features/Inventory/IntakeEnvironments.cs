using FusionBot.Features.Classification;
using FusionBot.PowerPlatform;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Inventory;

/// <summary>
/// The environments intake offers, as the last sync stored them (one read of the tenant's few environment rows), each
/// with the catalogue's connectors judged by the data policies in force there (<see cref="EnvironmentCatalogue"/>):
/// business → approved, non-business → needs review, blocked → blocked with the policy named; the configured
/// catalogue where it is stricter. A tenant other than the connected one, or before the first sync, gets none.
/// </summary>
public sealed class IntakeEnvironments(InventoryStore inventory, ConnectorCatalogue configured, IOptions<PowerPlatformOptions> options) : IEnvironmentConnectors
{
    /// <summary>
    /// The most environments offered (the default one first, then by name): a tenant with hundreds of developer
    /// environments must still get a card Teams accepts and a list a maker can read.
    /// </summary>
    public const int MaxOffered = 50;

    public async Task<IReadOnlyList<ConnectorEnvironment>> ForTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || !string.Equals(options.Value.TenantId, tenantId, StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var records = await inventory.EnvironmentsAsync(tenantId, cancellationToken);
        return [.. records.Take(MaxOffered).Select(Judge)];
    }

    private ConnectorEnvironment Judge(EnvironmentRecord record)
    {
        var environment = record.Environment;
        var catalogue = new EnvironmentCatalogue(environment.Name, record.InForce, configured);
        var where = environment.DisplayName;
        var connectors = configured.Connectors.Select(connector =>
        {
            if (connector.Status == ConnectorStatus.Blocked)
            {
                // Blocked by the CoE everywhere: its own words, with the alternative it names.
                return connector;
            }

            var standing = catalogue.Classify(new PlatformConnectorUse(EnvironmentCatalogue.ApiName(connector.Id), connector.Name, IsCustom: false));
            return connector.Judged(standing.Status, $"{standing.Reason} in {where}");
        });
        Connector Way(PlatformConnectorUse use)
        {
            var standing = catalogue.Classify(use);
            return new Connector { Id = use.ApiName, Name = use.DisplayName }.Judged(standing.Status, $"{standing.Reason} in {where}");
        }

        return new ConnectorEnvironment(environment.Name, environment.DisplayName, environment.IsDefault, new ConnectorCatalogue(connectors),
            Way(new PlatformConnectorUse("*", "Custom connectors", IsCustom: true)),
            Way(new PlatformConnectorUse("http", "HTTP", IsCustom: false)));
    }
}
