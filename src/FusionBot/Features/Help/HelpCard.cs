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
        List<JsonNode> body =
        [
            Heading("FusionBot"),
            TextBlock("I route Power Platform and Copilot Studio requests to the right level of review, by tier."),
        ];
        // What the reader came for stays open; the rest is one press away, one section open at a time, so the card stays
        // short (under ~600 px in the renders) whoever reads it.
        List<Fold> folds = [.. inChannel ? [new Fold("Chat commands", "chat", YourRequests())] : Array.Empty<Fold>(), .. MoreForEveryone()];
        var adminFolds = isAdmin ? ForAdmins() : [];
        string[] folded = [.. folds.Concat(adminFolds).Select(f => f.Id)];
        if (inChannel)
        {
            body.Add(TextBlock("In this channel (mention me; CoE admins)", bold: true));
            body.Add(Commands(
                ("register tier 2", "Tier 2 review cards come here (or 3, 4)."),
                ("register community", "The weekly digest is posted here."),
                ("unregister tier 2", "Stop a tier (or community) here."),
                ("channels", "Which channel receives what.")));
        }
        else
        {
            body.Add(TextBlock("Your requests", bold: true));
            body.Add(YourRequests());
        }
        body.AddRange(Folds(folds, folded));

        if (isReviewer || isAdmin)
        {
            body.Add(TextBlock(
                "**You review requests** on their cards in the review channel: claim, approve, request changes, reject or reclassify. Nobody decides their own.",
                subtle: true));
        }
        if (isAdmin)
        {
            body.Add(TextBlock("For CoE admins", bold: true));
            body.AddRange(Folds(adminFolds, folded));
            if (!inChannel)
            {
                body.Add(TextBlock("In a team channel, mention me and type **help** for the channel commands (register tier 2, register community, channels).", subtle: true));
            }
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

    private sealed record Fold(string Title, string Id, JsonObject Section);

    private static JsonObject YourRequests() => Commands(
        ("new request", "A few questions, then its tier and why."),
        ("new request form", "The same questions on one form."),
        ("my requests", "Yours, and where each one stands."),
        ("status FR-12", "One request and its history (or fr 12, #12)."),
        ("withdraw FR-12", "Withdraw one not decided yet."),
        ("resubmit FR-12", "Send it again after changes requested."));

    private static Fold[] MoreForEveryone() =>
    [
        new("While answering", "answering", Commands(
            ("back", "Go back one question."),
            ("cancel", "Stop the request."),
            ("edit audience", "At the summary: change one answer (edit 6 too)."))),
        new("More", "more", Commands(
            ("components", "Reusable components (add search words)."),
            ("connectors", "Which connectors are approved, where."),
            ("link FR-12 <address>", "Which app, flow or agent it is (or app <id>)."),
            ("subscribe digest", "The weekly digest, here in our chat."),
            ("unsubscribe digest", "Stop it."),
            ("help", "This card."))),
        new("Tiers", "tiers", Tiers()),
    ];

    private static Fold[] ForAdmins() =>
    [
        new("Portfolio", "portfolio", Commands(
            ("portfolio", "Solutions by tier and status, hours saved."),
            ("portfolio tier 3", "One tier's solutions."),
            ("portfolio overdue", "Periodic reviews nobody answered."),
            ("portfolio export", "A CSV of every solution (10-minute link)."),
            ("portfolio ungoverned", "Solutions nobody registered."),
            ("platform sync", "Take stock of the tenant now (also daily)."))),
        new("Digest", "digest", Commands(
            ("digest preview", "The next digest, before it goes out."),
            ("digest note <text>", "A note from the CoE in the next one."),
            ("digest send", "Send it now."),
            ("digest status", "How the last one was delivered."),
            ("digest schedule", "When the next one goes out."))),
        new("Catalogue and privacy", "admin", Commands(
            ("component add", "Add a component (I send a form)."),
            ("component retire <name>", "Take one out of the catalogue."),
            ("privacy export <user>", "A person's data (Entra or Teams id)."),
            ("privacy erase <user>", "Erase it, after you confirm."))),
    ];

    /// <summary>
    /// A row of buttons, each showing its section below and hiding every other folded section of the card (an
    /// accordion): there when wanted, no length otherwise.
    /// </summary>
    private static IEnumerable<JsonNode> Folds(IReadOnlyList<Fold> folds, IReadOnlyList<string> allFolded)
    {
        yield return ActionSet(folds.Select(f => new JsonObject
        {
            ["type"] = "Action.ToggleVisibility",
            ["title"] = f.Title,
            ["targetElements"] = new JsonArray([
                JsonValue.Create(f.Id),
                .. allFolded.Where(id => id != f.Id).Select(id => new JsonObject { ["elementId"] = id, ["isVisible"] = false }),
            ]),
        }));
        foreach (var fold in folds)
        {
            fold.Section["id"] = fold.Id;
            fold.Section["isVisible"] = false;
            yield return fold.Section;
        }
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
