using FusionBot.Features.Classification;
using FusionBot.PowerPlatform;
using FusionBot.Requests;

namespace FusionBot.Features.Inventory;

/// <summary>A connector's standing in one environment: approved, needs review or blocked, and why.</summary>
public sealed record EffectiveConnector(string ApiName, string Name, ConnectorStatus Status, string Reason);

/// <summary>
/// What the tenant's data policies allow in one environment. Every policy that applies there is combined, the strictest
/// group winning: blocked in any → blocked; non-business in any → needs review; business in all → approved. A
/// connector no policy names takes each policy's default group. Custom connectors follow the policies' catch-all
/// pattern and need review at least; HTTP (any web address) needs review at least. The configured catalogue overrides
/// where it is stricter (the CoE may ask for more than the policy enforces, never less), and is the whole answer in
/// an environment no policy covers.
/// </summary>
public sealed class EnvironmentCatalogue
{
    /// <summary>Api names of the HTTP connectors: any address, so never approved without a look.</summary>
    public static readonly IReadOnlySet<string> HttpConnectors = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "httpwebhook", "shared_webcontents" };

    /// <summary>Enterprise systems: a solution using one is Tier 4 whatever the policy says.</summary>
    public static readonly IReadOnlySet<string> EnterpriseConnectors = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "shared_sap", "shared_saperp", "shared_dynamicsax", "shared_dynamicscrmonline", "shared_dynamicssmbsaas", "shared_servicenow", "shared_salesforce", "shared_workday",
    };

    /// <summary>The api names of the connectors in the default configured catalogue, so the configuration can keep its short ids.</summary>
    private static readonly Dictionary<string, string> CatalogueIds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["shared_sharepointonline"] = "sharepoint",
        ["shared_commondataserviceforapps"] = "dataverse",
        ["shared_office365"] = "outlook",
        ["shared_teams"] = "teams",
        ["shared_excelonlinebusiness"] = "excel-online",
        ["shared_sql"] = "sql-server",
        ["http"] = "http",
        ["shared_onedriveforbusiness"] = "onedrive",
        ["shared_dropbox"] = "dropbox",
        ["shared_gmail"] = "gmail",
    };

    private readonly IReadOnlyList<DlpPolicy> _policies;
    private readonly ConnectorCatalogue _configured;

    public EnvironmentCatalogue(string environment, IEnumerable<DlpPolicy> policies, ConnectorCatalogue configured)
    {
        ArgumentNullException.ThrowIfNull(policies);
        Environment = environment;
        _policies = [.. policies.Where(p => p.AppliesTo(environment))];
        _configured = configured;
    }

    public string Environment { get; }

    /// <summary>The names of the policies in force here; none means the configured catalogue alone.</summary>
    public IReadOnlyList<string> PolicyNames => [.. _policies.Select(p => p.DisplayName)];

    /// <summary>The catalogue id intake uses for an api name (<c>shared_sharepointonline</c> → <c>sharepoint</c>), or the api name itself.</summary>
    public static string CatalogueId(string apiName) => CatalogueIds.TryGetValue(apiName, out var id) ? id : apiName;

    /// <summary>The api name of a catalogue id (<c>sharepoint</c> → <c>shared_sharepointonline</c>), or the id itself.</summary>
    public static string ApiName(string catalogueId) =>
        CatalogueIds.FirstOrDefault(c => string.Equals(c.Value, catalogueId, StringComparison.OrdinalIgnoreCase)).Key ?? catalogueId;

    /// <summary>Every connector a policy here names, plus those of the configured catalogue, in name order.</summary>
    public IReadOnlyList<EffectiveConnector> Listed()
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (apiName, connector) in _policies.SelectMany(p => p.Connectors))
        {
            names.TryAdd(apiName, connector.Name);
        }

        foreach (var connector in _configured.Connectors)
        {
            names.TryAdd(ApiName(connector.Id), connector.Name);
        }

        return [.. names.Select(n => Classify(new PlatformConnectorUse(n.Key, n.Value, IsCustom: false))).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The connector's standing here.</summary>
    public EffectiveConnector Classify(PlatformConnectorUse use)
    {
        ArgumentNullException.ThrowIfNull(use);
        var name = string.IsNullOrWhiteSpace(use.DisplayName) ? use.ApiName : use.DisplayName;
        var (status, reason) = FromPolicies(use);
        var configured = _configured.Connectors.FirstOrDefault(c => string.Equals(c.Id, CatalogueId(use.ApiName), StringComparison.OrdinalIgnoreCase)
            || string.Equals(c.Id, use.ApiName, StringComparison.OrdinalIgnoreCase));
        if (configured is not null && (status is null || configured.Status > status))
        {
            name = configured.Name;
            (status, reason) = (configured.Status, configured.Status switch
            {
                ConnectorStatus.Blocked when configured.Alternative is { } alternative => $"blocked by the CoE; use {alternative} instead",
                ConnectorStatus.Blocked => "blocked by the CoE",
                ConnectorStatus.NeedsReview => "needs review (CoE catalogue)",
                _ => "approved (CoE catalogue)",
            });
        }

        if (status is null)
        {
            // No policy here and not in the catalogue: nobody has vetted it.
            (status, reason) = (ConnectorStatus.NeedsReview, "not in any data policy or the catalogue");
        }

        if (status == ConnectorStatus.Approved && (use.IsCustom || HttpConnectors.Contains(use.ApiName)))
        {
            (status, reason) = (ConnectorStatus.NeedsReview, use.IsCustom ? "a custom connector: always reviewed" : "calls any web address: always reviewed");
        }

        return new EffectiveConnector(use.ApiName, name, status.Value, reason!);
    }

    private (ConnectorStatus? Status, string? Reason) FromPolicies(PlatformConnectorUse use)
    {
        ConnectorStatus? status = null;
        string? reason = null;
        foreach (var policy in _policies)
        {
            // A custom connector no catch-all pattern classifies is grouped like any other (listed, else the default).
            var group = (use.IsCustom ? policy.CustomConnectors : null)
                ?? (policy.Connectors.TryGetValue(use.ApiName, out var listed) ? listed.Classification : policy.DefaultClassification);
            var here = group switch
            {
                DlpPolicy.Blocked => ConnectorStatus.Blocked,
                DlpPolicy.Business => ConnectorStatus.Approved,
                _ => ConnectorStatus.NeedsReview,
            };
            if (status is null || here > status)
            {
                status = here;
                reason = here switch
                {
                    ConnectorStatus.Blocked => $"blocked by data policy '{policy.DisplayName}'",
                    ConnectorStatus.NeedsReview => $"non-business in data policy '{policy.DisplayName}'",
                    _ => $"business in data policy '{policy.DisplayName}'",
                };
            }
        }

        return (status, reason);
    }

    /// <summary>The intake data sources a solution's connectors amount to: catalogue ids, external API, enterprise system.</summary>
    public static IReadOnlyList<string> DataSources(IEnumerable<PlatformConnectorUse> connectors)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        var sources = connectors.Select(c => c.IsCustom || HttpConnectors.Contains(c.ApiName) ? DataSourceKinds.ExternalApi
            : EnterpriseConnectors.Contains(c.ApiName) ? DataSourceKinds.EnterpriseSystem
            : CatalogueId(c.ApiName)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return sources.Count == 0 ? [DataSourceKinds.None] : sources;
    }
}
