using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Features.Help;
using FusionBot.Features.Intake;
using Microsoft.Extensions.Options;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Onboarding;

/// <summary>The first card someone sees: the maker's welcome in the 1:1 chat, or a short note for a team's channel.</summary>
public sealed class WelcomeCards(IOptions<OnboardingOptions> options)
{
    public JsonObject Personal()
    {
        var settings = options.Value;
        List<JsonNode> actions =
        [
            CardActions.Command("New request", "new request"),
            IntakeForm.OpenButton(),
            CardActions.Command("Help", "help"),
        ];
        if (settings.TrainingUrl is { } training)
        {
            actions.Add(CardActions.OpenUrl("Maker training", training));
        }
        if (settings.GuidelinesUrl is { } guidelines)
        {
            actions.Add(CardActions.OpenUrl("CoE guidelines", guidelines));
        }

        return AdaptiveCardJson.Create(
        [
            Heading("Welcome to FusionBot"),
            TextBlock("Before you build a Power Platform or Copilot Studio solution, tell me about it. I work out how much review it needs and route it to the right people."),
            TextBlock("What the tiers mean", bold: true),
            HelpCard.Tiers(),
            TextBlock("How a request goes", bold: true),
            FactSet(
                ("Describe", "Type **new request** and answer a few questions: audience, users, data, custom code."),
                ("Confirm", "I show the tier with its reasons and approved components you can reuse; you confirm or edit."),
                ("Review", "Tier 1 self-certifies here; Tier 2–4 go to pro developers, and I tell you here what they decide."),
                ("Track", "Type **my requests** or **status FR-…** any time.")),
        ], actions);
    }

    public static JsonObject Channel() => AdaptiveCardJson.Create(
    [
        Heading("FusionBot is in this team"),
        TextBlock("Makers send me requests in a 1:1 chat. In a channel, CoE admins choose what I post there (mention me):"),
        FactSet(
            ("register tier 2|3|4", "Post review cards of that tier here, for pro developers to decide on."),
            ("register community", "Post the weekly community-of-practice digest here."),
            ("channels", "Show which channel receives what.")),
        TextBlock("Mention me with **help** for everything I understand.", subtle: true),
    ]);
}
