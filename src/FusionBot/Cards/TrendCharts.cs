using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Requests;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Cards;

/// <summary>
/// The two charts the digest and the portfolio open with, side by side: requests by tier (a donut) and decisions per
/// week (bars). Each falls back to the same numbers as text.
/// </summary>
public static class TrendCharts
{
    public static JsonObject ByTierAndWeek(string tierTitle, IReadOnlyDictionary<int, int> byTier, IReadOnlyList<PeriodCount> decisionsPerWeek)
    {
        var tiers = byTier.Where(t => t.Value > 0).OrderBy(t => t.Key).ToList();
        var tierChart = tiers.Count == 0
            ? TextBlock($"**{tierTitle}:** none", subtle: true)
            : CardCharts.Donut(tierTitle,
                tiers.Select(t => ($"Tier {t.Key}", (double)t.Value)),
                FactSet(tiers.Select(t => ($"Tier {t.Key}", t.Value.ToString("N0", CultureInfo.InvariantCulture)))));

        var weeks = decisionsPerWeek.Select(w => (Week: w.Start.UtcDateTime.ToString("d MMM", CultureInfo.InvariantCulture), w.Count)).ToList();
        var weekChart = weeks.All(w => w.Count == 0)
            ? TextBlock("**Decisions per week:** none yet", subtle: true)
            : CardCharts.VerticalBar("Decisions per week", "Week starting", "Decisions",
                weeks.Select(w => (w.Week, (double)w.Count)),
                FactSet(weeks.Select(w => ($"Week of {w.Week}", CardWords.Count(w.Count, "decision")))));

        return ColumnSet(Column([tierChart]), Column([weekChart]));
    }
}
