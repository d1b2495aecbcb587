using System.Text.Json.Nodes;
using FusionBot.Cards;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Help;

/// <summary>
/// What FusionBot does and the commands it understands, written as people type them: makers see their own
/// commands, reviewers a line on how they review, CoE admins their commands too.
/// </summary>
public static class HelpCard
{
    public static JsonObject Build(bool inChannel, bool isReviewer = false, bool isAdmin = false)
    {
        List<JsonNode> body =
        [
            Heading("FusionBot"),
            TextBlock("I route Power Platform and Copilot Studio requests to the right level of review, by tier:"),
            Tiers(),
            TextBlock("In a chat with me", bold: true),
            Commands(
                ("new request", "Start a request: I ask a few questions, then tell you its tier and why."),
                ("my requests", "Your requests and where each one stands."),
                ("status FR-12", "One request and its history (FR-12, fr 12 and #12 all work)."),
                ("withdraw FR-12", "Withdraw a request that is not decided yet."),
                ("resubmit FR-12", "After \"changes requested\": change your answers and send the same request again."),
                ("cancel", "While answering my questions: stop the request."),
                ("back", "While answering my questions: go back one question."),
                ("edit audience", "At the summary: change one answer (edit 6 works too)."),
                ("components", "The approved components you can reuse; add words to search, e.g. components approval."),
                ("connectors", "Which connectors are approved, need review or are blocked, in each environment."),
                ("link FR-12 <address>", "Say which app, flow or agent a request is: paste its address (or app <id>, flow <id>, agent <id>)."),
                ("subscribe digest", "The weekly community-of-practice digest in this chat (unsubscribe digest stops it)."),
                ("help", "This card.")),
        ];
        if (isReviewer || isAdmin)
        {
            body.Add(TextBlock(
                "**You review requests:** decide from the review cards in your pro-dev channel (approve, request changes, reject or reclassify). Nobody decides their own request.",
                subtle: true));
        }
        if (isAdmin)
        {
            body.Add(TextBlock("For CoE admins", bold: true));
            body.Add(Commands(
                ("component add", "Add a component to the catalogue (I send a form)."),
                ("component retire <name>", "Take a component out of the catalogue."),
                ("digest preview", "See the next weekly digest before it goes out."),
                ("digest note <text>", "Add a note from the CoE to the next digest."),
                ("digest send", "Send it now to the community channels and subscribers."),
                ("digest status", "How the last digest's delivery went."),
                ("digest schedule", "When the next digest goes out."),
                ("portfolio", "Solutions by tier and status, hours saved, time to decision."),
                ("portfolio tier 3", "The solutions of one tier."),
                ("portfolio overdue", "Periodic reviews nobody answered."),
                ("portfolio export", "A CSV of every solution (the link works for 10 minutes)."),
                ("portfolio ungoverned", "Solutions found in the tenant that nobody registered, and whether their owner was asked."),
                ("platform sync", "Take stock of the tenant's Power Platform now (it also runs every day).")));
            if (!inChannel)
            {
                body.Add(TextBlock("In a team channel, mention me and type **help** for the channel commands (register tier 2, register community, channels).", subtle: true));
            }
        }
        if (inChannel)
        {
            body.Add(TextBlock("In a channel (mention me; CoE admins)", bold: true));
            body.Add(Commands(
                ("register tier 2", "Send that tier's review cards to this channel (also tier 3, tier 4)."),
                ("register community", "Post the weekly community-of-practice digest here."),
                ("unregister tier 2", "Stop sending that tier here (unregister community stops the digest)."),
                ("channels", "Show which channel receives what.")));
        }
        return AdaptiveCardJson.Create(body,
        [
            CardActions.Command("New request", "new request"),
            CardActions.Command("My requests", "my requests"),
            CardActions.Command("Help", "help"),
        ]);
    }

    /// <summary>The short answer to "hi": who the bot is and the buttons to start with.</summary>
    public static JsonObject Greeting(string? name)
    {
        var firstName = name?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return AdaptiveCardJson.Create(
        [
            Heading(firstName is null ? "Hi!" : $"Hi {CardText.EscapeLine(firstName, 60)}!"),
            TextBlock("I'm FusionBot. Tell me about a Power Platform or Copilot Studio solution you are building and I'll tell you its governance tier, why, and who reviews it."),
        ],
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

    // Titles are shown as typed: escaped so a placeholder such as <name> is not read as an HTML tag and dropped.
    private static JsonObject Commands(params (string Command, string What)[] commands) =>
        FactSet(commands.Select(c => (CardText.EscapeLine(c.Command), c.What)));
}
