using FusionBot.Requests;

namespace FusionBot.Features.Classification;

/// <summary>Classifies a request from its intake answers by the rules in <see cref="TierRules"/>; deterministic.</summary>
public sealed class TierClassifier(ConnectorCatalogue catalogue)
{
    /// <summary>The answers classification still needs, in intake's words; empty when complete.</summary>
    public static IReadOnlyList<string> MissingAnswers(IntakeAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        List<string> missing = [];
        if (answers.Audience is null)
        {
            missing.Add("audience");
        }
        if (answers.ExpectedUsers is null or < 1)
        {
            missing.Add("expected users");
        }
        if (answers.DataSources is null || !answers.DataSources.Any(s => !string.IsNullOrWhiteSpace(s)))
        {
            missing.Add("data sources");
        }
        if (answers.Sensitivity is null)
        {
            missing.Add("data sensitivity");
        }
        if (answers.CustomCode is null)
        {
            missing.Add("custom code");
        }
        return missing;
    }

    /// <exception cref="IncompleteAnswersException">A required answer is missing.</exception>
    /// <exception cref="ArgumentException">The answers name a blocked connector, which intake must refuse first.</exception>
    public Classification Classify(IntakeAnswers answers) => Classify(answers, catalogue);

    /// <param name="connectors">The connectors' standing where the solution will live (see <see cref="IEnvironmentConnectors"/>).</param>
    /// <exception cref="IncompleteAnswersException">A required answer is missing.</exception>
    /// <exception cref="ArgumentException">The answers name a connector blocked there, which intake must refuse first.</exception>
    public Classification Classify(IntakeAnswers answers, ConnectorCatalogue connectors)
    {
        var missing = MissingAnswers(answers);
        if (missing.Count > 0)
        {
            throw new IncompleteAnswersException(missing);
        }
        var facts = Facts(answers, connectors);
        var fired = TierRules.All
            .Where(rule => rule.Applies(facts))
            .OrderByDescending(rule => rule.Tier) // stable: rules of one tier keep the policy's order
            .ToList();
        return fired.Count == 0
            ? new Classification(1, [TierRules.Tier1Reason])
            : new Classification(fired[0].Tier, [.. fired.Select(rule => $"Tier {rule.Tier}: {rule.Reason(facts)}")]);
    }

    private static ClassificationFacts Facts(IntakeAnswers answers, ConnectorCatalogue catalogue)
    {
        var sources = answers.DataSources!
            .Where(s => !string.IsNullOrWhiteSpace(s))
            .Select(s => s.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        bool Has(string kind) => sources.Contains(kind, StringComparer.OrdinalIgnoreCase);

        var checks = sources
            .Where(s => !IsKind(s))
            .Select(catalogue.Check)
            .ToList();
        var blocked = checks.FirstOrDefault(c => !c.IsAllowed);
        if (blocked is not null)
        {
            throw new ArgumentException($"{blocked.Message} Intake must refuse it before classification.", nameof(answers));
        }

        return new ClassificationFacts(
            answers.Audience!.Value,
            answers.ExpectedUsers!.Value,
            answers.Sensitivity!.Value,
            answers.CustomCode!.Value,
            UsesExternalApi: Has(DataSourceKinds.ExternalApi),
            UsesEnterpriseSystem: Has(DataSourceKinds.EnterpriseSystem),
            ApprovedConnectors: [.. checks.Where(c => c.Connector.Status == ConnectorStatus.Approved).Select(c => c.Connector)],
            ReviewConnectors: [.. checks.Where(c => c.InCatalogue && c.Connector.Status == ConnectorStatus.NeedsReview).Select(c => c.Connector)],
            UnknownConnectors: [.. checks.Where(c => !c.InCatalogue).Select(c => c.Connector)]);
    }

    private static bool IsKind(string source) =>
        source.Equals(DataSourceKinds.None, StringComparison.OrdinalIgnoreCase)
        || source.Equals(DataSourceKinds.ExternalApi, StringComparison.OrdinalIgnoreCase)
        || source.Equals(DataSourceKinds.EnterpriseSystem, StringComparison.OrdinalIgnoreCase);
}
