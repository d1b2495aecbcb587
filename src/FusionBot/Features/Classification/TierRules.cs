using FusionBot.Requests;

namespace FusionBot.Features.Classification;

/// <summary>The answers of one request, with its data sources sorted by what they mean for the tier.</summary>
internal sealed record ClassificationFacts(
    Audience Audience,
    int ExpectedUsers,
    DataSensitivity Sensitivity,
    CustomCode CustomCode,
    bool UsesExternalApi,
    bool UsesEnterpriseSystem,
    IReadOnlyList<Connector> ApprovedConnectors,
    IReadOnlyList<Connector> ReviewConnectors,
    IReadOnlyList<Connector> UnknownConnectors);

/// <summary>A policy rule: when <see cref="Applies"/>, the request is at least <see cref="Tier"/>, because <see cref="Reason"/>.</summary>
internal sealed record TierRule(int Tier, Func<ClassificationFacts, bool> Applies, Func<ClassificationFacts, string> Reason);

/// <summary>
/// The fusion-team governance policy, in one place. The highest tier any rule reaches wins; Tier 1 (team only,
/// no external data, non-sensitive, no custom code, under 50 users) is what remains when no rule applies.
/// Internal data alone raises nothing. Blocked connectors are refused at intake, never classified.
/// </summary>
internal static class TierRules
{
    public const int LargeAudience = 50;

    public const string Tier1Reason = "Tier 1: team-only, no external data, non-sensitive, no custom code";

    public static IReadOnlyList<TierRule> All { get; } =
    [
        new(2, f => f.Audience == Audience.MyDepartment, _ => "audience is your department"),
        new(2, f => f.ApprovedConnectors.Count > 0, f => $"uses approved connectors: {Names(f.ApprovedConnectors)}"),

        new(3, f => f.Audience == Audience.SeveralDepartments, _ => "audience spans several departments"),
        new(3, f => f.Audience == Audience.OrganisationOrExternal, _ => "audience is the whole organisation or external users"),
        new(3, f => f.ExpectedUsers >= LargeAudience, f => $"{f.ExpectedUsers} users, {LargeAudience} or more"),
        new(3, f => f.UsesExternalApi, _ => "reads or writes an external API"),
        new(3, f => f.ReviewConnectors.Count > 0, f => $"uses connectors that need review: {WithReasons(f.ReviewConnectors)}"),
        new(3, f => f.UnknownConnectors.Count > 0, f => $"uses connectors not in the catalogue, so they need review: {Names(f.UnknownConnectors)}"),
        new(3, f => f.Sensitivity == DataSensitivity.Confidential, _ => "handles confidential data"),

        new(4, f => f.UsesEnterpriseSystem, _ => "connects to an enterprise system (SAP, Dynamics 365, ServiceNow…)"),
        new(4, f => f.Sensitivity == DataSensitivity.Regulated, _ => "handles regulated data (personal, financial or health)"),
        new(4, f => f.CustomCode == CustomCode.Some, _ => "includes some custom code"),
        new(4, f => f.CustomCode == CustomCode.Substantial, _ => "includes substantial custom code"),
    ];

    private static string Names(IEnumerable<Connector> connectors) => string.Join(", ", connectors.Select(c => c.Name));

    /// <summary>Names, each with why it needs review where the solution will live when a data policy said so.</summary>
    private static string WithReasons(IEnumerable<Connector> connectors) =>
        string.Join(", ", connectors.Select(c => c.Reason is { } reason ? $"{c.Name} ({reason})" : c.Name));
}
