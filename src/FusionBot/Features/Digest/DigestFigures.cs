using FusionBot.Requests;
namespace FusionBot.Features.Digest;

/// <summary>What one week looked like: the figures the digest card shows, computed by <see cref="DigestCalculator"/>.</summary>
public sealed record DigestFigures
{
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }

    /// <summary>Requests created in the window, by tier 1–4 (every tier present, zero included).</summary>
    public required IReadOnlyDictionary<int, int> NewByTier { get; init; }

    public required int Approved { get; init; }
    public required int ChangesRequested { get; init; }
    public required int Rejected { get; init; }

    /// <summary>Requests with a <see cref="RequestActions.SolutionsDelivered"/> event in the window.</summary>
    public required int SolutionsDelivered { get; init; }

    /// <summary>Review windows decided in the window, by the tier they were reviewed at.</summary>
    public required IReadOnlyList<TierDecisionTimes> DecisionTimes { get; init; }

    /// <summary>Review windows decided in the window; <see cref="DecidedOnTime"/> of them before their due time.</summary>
    public required int Decided { get; init; }
    public required int DecidedOnTime { get; init; }

    /// <summary>Requests whose SLA was breached in the window or that were decided late in it, in id order.</summary>
    public required IReadOnlyList<string> SlaBreaches { get; init; }

    public required IReadOnlyList<Reclassification> Reclassifications { get; init; }

    /// <summary>Most used connectors and platforms of the week's new requests, most used first.</summary>
    public required IReadOnlyList<NamedCount> TopConnectors { get; init; }
    public required IReadOnlyList<NamedCount> Platforms { get; init; }

    /// <summary>Words that recur in the week's request purposes (stop words left out), most frequent first.</summary>
    public required IReadOnlyList<NamedCount> Keywords { get; init; }

    /// <summary>Catalogue components added in the window. Not required: digests stored before the catalogue read as none.</summary>
    public IReadOnlyList<string> NewComponents { get; init; } = [];

    /// <summary>Components makers said their requests reuse, counted over the window, most used first.</summary>
    public IReadOnlyList<NamedCount> MostUsedComponents { get; init; } = [];

    /// <summary>
    /// Review windows decided in each of the last <see cref="DigestCalculator.TrendPeriods"/> windows, this one last.
    /// Not required: digests stored before it read as none.
    /// </summary>
    public IReadOnlyList<PeriodCount> DecisionsPerWeek { get; init; } = [];

    /// <summary>Solutions the Power Platform inventory found unregistered in the window, and how many of them are registered now; null without it.</summary>
    public InventoryFigures? Inventory { get; init; }

    /// <summary>Percentage of decided review windows that met their SLA; null when nothing was decided.</summary>
    public double? SlaCompliancePercent => Decided == 0 ? null : Math.Round(100.0 * DecidedOnTime / Decided, 1);

    public int NewRequests => NewByTier.Values.Sum();
}

/// <param name="Median">The middle value (mean of the two middle ones for an even count).</param>
/// <param name="P90">Nearest-rank 90th percentile: the ⌈0.9·n⌉-th smallest.</param>
public sealed record TierDecisionTimes(int Tier, int Count, TimeSpan Median, TimeSpan P90);

public sealed record Reclassification(string RequestId, int FromTier, int ToTier);

public sealed record NamedCount(string Name, int Count);
