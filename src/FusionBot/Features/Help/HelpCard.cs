using System.Text.Json.Nodes;
using FusionBot.Cards;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Help;

/// <summary>What FusionBot does and the commands it understands, for a 1:1 chat or a channel.</summary>
public static class HelpCard
{
    public static JsonObject Build(bool inChannel)
    {
        List<JsonNode> body =
        [
            Heading("FusionBot"),
            TextBlock("I route Power Platform and Copilot Studio requests to the right level of review, by tier:"),
            Tiers(),
            TextBlock("In a chat with me", bold: true),
            FactSet(
                ("new request", "Start a request; I ask a few questions and tell you its tier and why."),
                ("my requests", "List your requests and their status."),
                ("status FR-…", "Show one request, e.g. status FR-000123."),
                ("withdraw FR-…", "Withdraw a request you no longer need."),
                ("cancel", "Stop the request you are filling in."),
                ("components", "List the approved components you can reuse; components <words> searches them (CoE admins: component add, component retire <name>)."),
                ("subscribe digest", "Get the weekly community-of-practice digest here (unsubscribe digest to stop)."),
                ("digest preview|note|send|status|schedule", "CoE admins: prepare and broadcast the weekly digest."),
                ("portfolio [tier N|overdue|export]", "CoE admins: solutions by tier and status, overdue re-checks, hours saved, a CSV export."),
                ("help", "Show this card.")),
        ];
        if (inChannel)
        {
            body.Add(TextBlock("In a channel (mention me)", bold: true));
            body.Add(FactSet(
                ("register tier 2|3|4", "Send review cards of that tier to this channel."),
                ("register community", "Post the weekly community-of-practice digest here."),
                ("unregister …", "Stop either of the above, e.g. unregister tier 2."),
                ("channels", "Show which channel receives what.")));
        }
        return AdaptiveCardJson.Create(body,
        [
            CardActions.Command("New request", "new request"),
            CardActions.Command("My requests", "my requests"),
            CardActions.Command("Help", "help"),
        ]);
    }

    /// <summary>The four tiers in one line each, shared with the welcome card.</summary>
    public static JsonObject Tiers() => FactSet(
        ("Tier 1", "Your team only, no external data: you self-certify with a checklist."),
        ("Tier 2", "Department-wide or approved connectors: a pro developer reviews within 48 hours."),
        ("Tier 3", "Several departments, 50+ users, external APIs or sensitive data: a design review with pro developers."),
        ("Tier 4", "Enterprise systems, regulated data or custom code: pro developers take ownership."));
}
