using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Cards;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Digest;

/// <summary>The digest as an Adaptive Card, and the one-line summary a notification shows.</summary>
public static class DigestCard
{
    public static JsonObject Build(DigestRecord record, bool preview)
    {
        var f = record.Figures;
        List<JsonNode> body = [];
        if (preview)
        {
            body.Add(Container(
            [
                TextBlock("**Preview** — only CoE admins see this.", bold: true),
                TextBlock(record.SentAt is { } sent
                    ? $"Sent {CardWords.When(sent)}. Type **digest status** to follow its delivery."
                    : "Type **digest send** to share it with the community, **digest note …** to add a CoE note."),
            ], ContainerStyle.Warning));
        }

        body.Add(Heading($"Community of practice digest · {f.From:d MMM} – {f.To:d MMM yyyy}"));
        body.Add(TrendCharts.ByTierAndWeek("New requests by tier", f.NewByTier, f.DecisionsPerWeek));
        body.Add(FactSet(
            ("New requests", $"{f.NewRequests} ({string.Join(" · ", f.NewByTier.OrderBy(t => t.Key).Select(t => $"Tier {t.Key}: {t.Value}"))})"),
            ("Ready to use", $"{CardWords.Count(f.SolutionsDelivered, "solution")} (self-certified, approved or delivered)"),
            ("Decisions", $"{f.Approved} approved · {f.ChangesRequested} changes requested · {f.Rejected} rejected"),
            ("SLA", f.SlaCompliancePercent is { } percent
                ? $"{percent.ToString("0.#", CultureInfo.InvariantCulture)} % on time ({f.DecidedOnTime} of {f.Decided})"
                : "No review was decided"),
            ("SLA breaches", f.SlaBreaches.Count == 0 ? "None" : $"{f.SlaBreaches.Count}: {string.Join(", ", f.SlaBreaches)}")));

        if (f.Inventory is { } inventory)
        {
            body.Add(FactSet(("Found in the tenant", inventory.Found == 0
                ? "Nothing new went unregistered"
                : $"{CardWords.Count(inventory.Found, "unregistered solution")} found this week, {inventory.Registered} registered since")));
        }

        if (f.DecisionTimes.Count > 0)
        {
            body.Add(TextBlock("Time to decision", bold: true));
            body.Add(FactSet(f.DecisionTimes.Select(t =>
                ($"Tier {t.Tier}", $"median {CardWords.Duration(t.Median)} · 90th percentile {CardWords.Duration(t.P90)} ({t.Count} decided)"))));
        }

        if (f.Reclassifications.Count > 0)
        {
            body.Add(TextBlock("Reclassified", bold: true));
            body.Add(FactSet(f.Reclassifications.Select(r => (r.RequestId, $"Tier {r.FromTier} → Tier {r.ToTier}"))));
        }

        body.Add(TextBlock("What the community builds with", bold: true));
        body.Add(FactSet(
            ("Connectors", Counts(f.TopConnectors)),
            ("Platforms", Counts(f.Platforms))));

        if (f.NewComponents.Count > 0 || f.MostUsedComponents.Count > 0)
        {
            body.Add(TextBlock("Reusable components", bold: true));
            body.Add(FactSet(
                ("New in the catalogue", f.NewComponents.Count == 0 ? "None this week" : string.Join(", ", f.NewComponents.Select(n => CardText.EscapeLine(n)))),
                ("Most reused", Counts(f.MostUsedComponents))));
        }

        body.Add(TextBlock("Recurring themes", bold: true));
        body.Add(TextBlock(record.Themes is { } themes ? CardText.Escape(themes) : Counts(f.Keywords)));

        if (!string.IsNullOrWhiteSpace(record.Note))
        {
            body.Add(Container([TextBlock("From the CoE", bold: true), TextBlock(CardText.Escape(record.Note))], ContainerStyle.Emphasis));
        }

        return AdaptiveCardJson.Create(body);
    }

    /// <summary>Plain text for the notification and for clients that show no cards.</summary>
    public static string Summary(DigestRecord record)
    {
        var f = record.Figures;
        var sla = f.SlaCompliancePercent is { } percent ? $", SLA {percent.ToString("0.#", CultureInfo.InvariantCulture)} % on time" : "";
        return $"Weekly digest {f.From:d MMM} – {f.To:d MMM}: {CardWords.Count(f.NewRequests, "new request")}, {CardWords.Count(f.SolutionsDelivered, "solution")} ready to use{sla}";
    }

    private static string Counts(IReadOnlyList<NamedCount> counts) =>
        counts.Count == 0 ? "None this week" : string.Join(", ", counts.Select(c => $"{CardText.EscapeLine(c.Name)} ({c.Count})"));
}
