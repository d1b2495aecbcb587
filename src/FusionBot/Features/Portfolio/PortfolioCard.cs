using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Requests;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Portfolio;

/// <summary>The CoE's portfolio report: counts, ROI, decision time, and the solutions that need attention.</summary>
public static class PortfolioCard
{
    /// <param name="scope">What the figures cover, e.g. "all requests" or "Tier 3".</param>
    public static JsonObject Build(PortfolioFigures figures, string scope)
    {
        ArgumentNullException.ThrowIfNull(figures);
        List<JsonNode> body =
        [
            Heading($"Portfolio · {CardText.EscapeLine(scope)}"),
            TrendCharts.ByTierAndWeek("Requests by tier", figures.ByTier, figures.DecisionsPerWeek),
            FactSet(("Requests", Number(figures.Total))),
            TextBlock("By status", bold: true),
            FactSet(figures.ByStatus.Select(s => (RequestStatusText.Describe(s.Key), Number(s.Value)))),
            TextBlock("Value and pace", bold: true),
            FactSet(
                ("Estimated hours saved a month", $"{figures.HoursSavedPerMonth.ToString("N1", CultureInfo.InvariantCulture)} (from {CardWords.Count(figures.SolutionsWithEstimate, "solution")} in use with an estimate)"),
                ("Median time to decision", figures.MedianTimeToDecision is { } median ? CardWords.Duration(median) : "nothing decided yet"),
                ("Periodic reviews overdue", Number(figures.OverdueCount)),
                ("Outgrew their tier", Number(figures.OutgrownCount))),
        ];

        AddList(body, "Overdue periodic reviews", figures.Overdue, figures.OverdueCount, r => $"asked {Day(r.AskedAt)}");
        AddList(body, "Outgrew their tier", figures.Outgrown, figures.OutgrownCount, r => $"Tier {r.OutgrewTier} → Tier {r.Tier}, {RequestStatusText.Describe(r.Status).ToLowerInvariant()}");
        if (figures.Requests is { } listed)
        {
            AddList(body, "Requests", listed, figures.Total, r => RequestStatusText.Describe(r.Status));
        }

        body.Add(TextBlock("Type **portfolio tier 3** for one tier, **portfolio overdue** for overdue reviews, **portfolio export** for a CSV.", subtle: true));
        return AdaptiveCardJson.Create(body);
    }

    /// <summary>Only the overdue periodic reviews, with who to chase.</summary>
    /// <param name="count">How many periodic reviews are overdue.</param>
    /// <param name="first">The longest asked of them, as many as the card names.</param>
    public static JsonObject Overdue(int count, IReadOnlyList<PortfolioItem> first)
    {
        ArgumentNullException.ThrowIfNull(first);
        List<JsonNode> body = [Heading($"Overdue periodic reviews: {Number(count)}")];
        if (count == 0)
        {
            body.Add(TextBlock("Every maker answered their last periodic review, or still has time to."));
        }

        AddList(body, null, first, count, r => $"{CardText.EscapeLine(r.Maker ?? "")}, asked {Day(r.AskedAt)}");
        return AdaptiveCardJson.Create(body);
    }

    /// <param name="first">The first requests of the list, as many as the card names.</param>
    /// <param name="count">How many the whole list holds.</param>
    private static void AddList(List<JsonNode> body, string? title, IReadOnlyList<PortfolioItem> first, int count, Func<PortfolioItem, string> detail)
    {
        if (count == 0)
        {
            return;
        }

        if (title is not null)
        {
            body.Add(TextBlock(title, bold: true));
        }

        body.Add(FactSet(first.Take(PortfolioFigures.Listed).Select(r => ($"{r.Id} · Tier {r.Tier}", $"{CardText.EscapeLine(r.Title, 60)} — {detail(r)}"))));
        if (count > PortfolioFigures.Listed)
        {
            body.Add(TextBlock($"…and {Number(count - PortfolioFigures.Listed)} more: type **portfolio export** for all of them.", subtle: true));
        }
    }

    private static string Day(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
