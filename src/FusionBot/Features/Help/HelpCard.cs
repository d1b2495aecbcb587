using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Features.Intake;
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
        var coe = isReviewer || isAdmin;
        List<JsonNode> body = [Heading("FusionBot")];
        // Reviewers and admins know the tiers: their card keeps them one click away, so their own commands come first.
        body.Add(TextBlock("I route Power Platform and Copilot Studio requests to the right level of review, by tier" + (coe ? "." : ":")));
        body.AddRange(coe ? Folded("Show the tiers", "tiers", Tiers()) : [Tiers()]);
        body.Add(TextBlock("In a chat with me", bold: true));
        var chat = Commands(
            ("new request", "Start one: a few questions, then its tier and why."),
            ("new request form", "The same questions on one form."),
            ("my requests", "Yours, and where each one stands."),
            ("status FR-12", "One request and its history (fr 12 and #12 work too)."),
            ("withdraw FR-12", "Withdraw one that is not decided yet."),
            ("resubmit FR-12", "After \"changes requested\": edit and send it again."),
            ("back", "While answering: the previous question."),
            ("cancel", "While answering: stop the request."),
            ("edit audience", "At the summary: change one answer (edit 6 too)."),
            ("components", "Approved components to reuse (add words to search)."),
            ("connectors", "Approved, reviewed or blocked connectors, per environment."),
            ("link FR-12 <address>", "Say which app, flow or agent a request is (its address, or app/flow/agent <id>)."),
            ("subscribe digest", "The weekly digest here (unsubscribe digest stops it)."),
            ("help", "This card."));
        body.AddRange(isAdmin ? Folded("Show the chat commands", "chat", chat) : [chat]);
        if (coe)
        {
            body.Add(TextBlock(
                "**You review requests** from the cards in your pro-dev channel: claim, approve, request changes, reject or reclassify. Nobody decides their own.",
                subtle: true));
        }
        if (isAdmin)
        {
            body.Add(TextBlock("For CoE admins", bold: true));
            body.Add(Commands(
                ("component add", "Add a catalogue component (I send a form)."),
                ("component retire <name>", "Take one out of the catalogue."),
                ("digest preview", "The next weekly digest, before it goes out."),
                ("digest note <text>", "A note from the CoE in the next digest."),
                ("digest send", "Send it now."),
                ("digest status", "How the last one was delivered."),
                ("digest schedule", "When the next one goes out."),
                ("portfolio", "Solutions by tier and status, hours saved, time to decision."),
                ("portfolio tier 3", "One tier's solutions."),
                ("portfolio overdue", "Periodic reviews nobody answered."),
                ("portfolio export", "A CSV of every solution (link valid 10 minutes)."),
                ("portfolio ungoverned", "Solutions nobody registered, and whether their owner was asked."),
                ("platform sync", "Take stock of the tenant's Power Platform now (also daily).")));
            if (!inChannel)
            {
                body.Add(TextBlock("In a team channel, mention me and type **help** for the channel commands (register tier 2, register community, channels).", subtle: true));
            }
        }
        if (inChannel)
        {
            body.Add(TextBlock("In a channel (mention me; CoE admins)", bold: true));
            body.Add(Commands(
                ("register tier 2", "Send that tier's review cards here (also tier 3, tier 4)."),
                ("register community", "Post the weekly digest here."),
                ("unregister tier 2", "Stop that tier here (unregister community: the digest)."),
                ("channels", "Which channel receives what.")));
        }
        // The form opens a dialog that only the 1:1 chat answers.
        return AdaptiveCardJson.Create(body,
        [
            CardActions.Command("New request", "new request"),
            .. inChannel ? Array.Empty<JsonNode>() : [IntakeForm.OpenButton()],
            CardActions.Command("My requests", "my requests"),
            CardActions.Command("Help", "help"),
        ]);
    }

    /// <summary>A section behind a button that shows and hides it: there when wanted, no length otherwise.</summary>
    private static IEnumerable<JsonNode> Folded(string title, string id, JsonObject section)
    {
        section["id"] = id;
        section["isVisible"] = false;
        yield return ActionSet(new JsonObject
        {
            ["type"] = "Action.ToggleVisibility",
            ["title"] = title,
            ["targetElements"] = new JsonArray(id),
        });
        yield return section;
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
        ("Tier 1", "Your team, no external data: you self-certify with a checklist."),
        ("Tier 2", "Your department or approved connectors: a pro developer reviews it."),
        ("Tier 3", "Several departments, 50+ users, external APIs or sensitive data: a design review."),
        ("Tier 4", "Enterprise systems, regulated data or custom code: pro developers build it."));

    // Titles are shown as typed: escaped so a placeholder such as <name> is not read as an HTML tag and dropped.
    private static JsonObject Commands(params (string Command, string What)[] commands) =>
        FactSet(commands.Select(c => (CardText.EscapeLine(c.Command), c.What)));
}
