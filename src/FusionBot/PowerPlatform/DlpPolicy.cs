namespace FusionBot.PowerPlatform;

/// <summary>
/// A data (DLP) policy as the governance API states it. <see cref="EnvironmentType"/>: AllEnvironments,
/// OnlyEnvironments or ExceptEnvironments of <see cref="Environments"/>. <see cref="Connectors"/> maps a connector's
/// api name (<c>shared_sharepointonline</c>) to its group: Confidential (business), General (non-business) or Blocked;
/// (with the name the policy gives it); connectors not listed are in <see cref="DefaultClassification"/>. <see cref="CustomConnectors"/> is the group the
/// policy's catch-all custom connector pattern ("*") puts custom connectors in, when it has one that is not Ignore.
/// </summary>
public sealed record DlpPolicy(
    string Name,
    string DisplayName,
    string EnvironmentType,
    IReadOnlyList<string> Environments,
    string DefaultClassification,
    IReadOnlyDictionary<string, DlpConnector> Connectors,
    string? CustomConnectors)
{
    public const string Business = "Confidential";
    public const string NonBusiness = "General";
    public const string Blocked = "Blocked";

    /// <summary>Whether the policy governs <paramref name="environment"/>.</summary>
    public bool AppliesTo(string environment)
    {
        var listed = Environments.Contains(environment, StringComparer.OrdinalIgnoreCase);
        return EnvironmentType switch
        {
            "OnlyEnvironments" => listed,
            "ExceptEnvironments" => !listed,
            _ => true,
        };
    }
}

/// <summary>A connector as a policy lists it: its display name and its group (Confidential, General or Blocked).</summary>
public sealed record DlpConnector(string Name, string Classification);
