using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Requests;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Portfolio;

/// <summary>The CoE's portfolio report: counts, ROI, decision time, and the solutions that need attention.</summary>
public static class PortfolioCard
{
    private const int MaxListed = 15;

    /// <param name="scope">What the figures cover, e.g. "all requests" or "Tier 3".</param>
    /// <param name="listed">Requests to list by name under the figures (a tier's requests), if any.</param>
    public static JsonObject Build(PortfolioFigures figures, string scope, IReadOnlyList<GovernanceRequest>? listed = null)
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
                ("Periodic reviews overdue", Number(figures.Overdue.Count)),
                ("Outgrew their tier", Number(figures.Outgrown.Count))),
        ];

        AddList(body, "Overdue periodic reviews", figures.Overdue, r => $"asked {r.PortfolioCheck!.AskedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        AddList(body, "Outgrew their tier", figures.Outgrown, r => $"Tier {r.PortfolioCheck!.OutgrewTier} → Tier {r.Tier}, {RequestStatusText.Describe(r.Status).ToLowerInvariant()}");
        if (listed is not null)
        {
            AddList(body, "Requests", listed, r => RequestStatusText.Describe(r.Status));
        }

        body.Add(TextBlock("Type **portfolio tier 3** for one tier, **portfolio overdue** for overdue reviews, **portfolio export** for a CSV.", subtle: true));
        return AdaptiveCardJson.Create(body);
    }

    /// <summary>Only the overdue periodic reviews, with who to chase.</summary>
    public static JsonObject Overdue(IReadOnlyList<GovernanceRequest> overdue)
    {
        ArgumentNullException.ThrowIfNull(overdue);
        List<JsonNode> body = [Heading($"Overdue periodic reviews: {Number(overdue.Count)}")];
        if (overdue.Count == 0)
        {
            body.Add(TextBlock("Every maker answered their last periodic review, or still has time to."));
        }

        AddList(body, null, overdue, r =>
            $"{CardText.EscapeLine(r.Maker.Name ?? r.Maker.Id)}, asked {r.PortfolioCheck!.AskedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        return AdaptiveCardJson.Create(body);
    }

    private static void AddList(List<JsonNode> body, string? title, IReadOnlyList<GovernanceRequest> requests, Func<GovernanceRequest, string> detail)
    {
        if (requests.Count == 0)
        {
            return;
        }

        if (title is not null)
        {
            body.Add(TextBlock(title, bold: true));
        }

        body.Add(FactSet(requests.Take(MaxListed).Select(r => ($"{r.Id} · Tier {r.Tier}", $"{CardText.EscapeLine(r.Title, 60)} — {detail(r)}"))));
        if (requests.Count > MaxListed)
        {
            body.Add(TextBlock($"…and {Number(requests.Count - MaxListed)} more: type **portfolio export** for all of them.", subtle: true));
        }
    }

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
