using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Requests;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Portfolio;

/// <summary>
/// The maker's periodic review card: the answers that decide the tier (users, audience, data sources) prefilled from
/// what is stored, so an unchanged solution is one click. Its Submit posts the request id and round back.
/// </summary>
public sealed class PortfolioReviewCard(IntakeQuestions questions)
{
    public const string RequestKey = "portfolioReview";
    public const string RoundKey = "portfolioRound";
    public const string UsersKey = "portfolioUsers";
    public const string AudienceKey = "portfolioAudience";
    public const string SourcesKey = "portfolioSources";

    public JsonObject Build(GovernanceRequest request, int round, string? problem = null, bool reminder = false, string? facts = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answers = request.Answers;
        var audience = questions.Get(IntakeQuestions.AudienceKey);
        var sources = questions.Get(IntakeQuestions.DataSources);
        var audienceNow = audience.Display(audience.Current(answers)).ToLowerInvariant();

        List<JsonNode> body =
        [
            TextBlock(reminder ? "Reminder: periodic review" : "Periodic review", subtle: true),
            Heading($"{request.Id} · {CardText.EscapeLine(request.Title)} (Tier {request.Tier})"),
        ];
        if (problem is not null)
        {
            body.Add(Container([TextBlock(CardText.Escape(problem))], ContainerStyle.Attention));
        }

        if (facts is not null)
        {
            body.Add(Container([TextBlock($"Asked now, not at the usual interval: {CardText.Escape(facts)}.")], ContainerStyle.Warning));
        }

        body.Add(TextBlock(
            $"Is it still about {answers.ExpectedUsers?.ToString("N0", CultureInfo.InvariantCulture) ?? "the same number of"} users? "
            + $"Any new data source? Still used by {CardText.EscapeLine(audienceNow)}? Change what is different, then Submit."));
        body.Add(CardInputs.Text(UsersKey, "How many people use it now?", answers.ExpectedUsers?.ToString(CultureInfo.InvariantCulture),
            "A number, for example 12", required: true, errorMessage: "Give the number of people who use it."));
        body.Add(CardInputs.ChoiceSet(AudienceKey, "Who uses it now?", audience.Choices.Select(c => new Choice(c.Title, c.Value)),
            values: audience.Current(answers) is { } a ? [a] : null, required: true, errorMessage: "Pick who uses it."));
        body.Add(CardInputs.ChoiceSet(SourcesKey, "Which data sources does it use now?", sources.Choices.Select(c => new Choice(c.Title, c.Value)),
            multiSelect: true, values: answers.DataSources, required: true, errorMessage: "Pick at least one data source."));

        return AdaptiveCardJson.Create(body,
        [
            CardActions.Submit("Submit", new JsonObject
            {
                [RequestKey] = request.Id,
                [RoundKey] = round.ToString(CultureInfo.InvariantCulture),
            }, style: ActionStyle.Positive),
        ]);
    }

    public static string Summary(GovernanceRequest request) => $"{request.Id}: periodic review of {CardText.Truncate(request.Title, 60)}";
}
