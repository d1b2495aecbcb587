using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Protocol.Hosting;
using FusionBot.Storage;
using Microsoft.Extensions.Options;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Onboarding;

/// <summary>
/// With <see cref="OnboardingOptions.RequireAcknowledgement"/>, a maker confirms once that they read the guidelines
/// before their first Tier 2+ request is submitted; the confirmation is stored with its time.
/// </summary>
public sealed class GuidelinesGate(IOptions<OnboardingOptions> options, IGuidelineAcknowledgementStore acknowledgements, TimeProvider time)
{
    /// <summary>The key of the value the "I have read the guidelines" button posts.</summary>
    public const string AcknowledgeKey = "guidelinesAcknowledged";

    /// <summary>True when a request of <paramref name="tier"/> may be submitted now; otherwise the maker was sent the card to confirm.</summary>
    public async Task<bool> AllowsSubmissionAsync(TurnContext turn, int tier, CancellationToken cancellationToken)
    {
        if (!options.Value.RequireAcknowledgement || tier < 2
            || await acknowledgements.GetAsync(turn.TenantId(), turn.Sender().Id, cancellationToken) is not null)
        {
            return true;
        }

        await turn.SendCardAsync(Card(), "Please read the guidelines first", cancellationToken);
        return false;
    }

    public Task AcknowledgeAsync(TurnContext turn, CancellationToken cancellationToken) =>
        acknowledgements.RecordAsync(turn.TenantId(), new GuidelineAcknowledgement(turn.Sender(), time.GetUtcNow()), cancellationToken);

    public JsonObject Card()
    {
        var guidelines = options.Value.GuidelinesUrl
            ?? throw new InvalidOperationException("Onboarding:RequireAcknowledgement is set without Onboarding:GuidelinesUrl.");
        return AdaptiveCardJson.Create(
        [
            Heading("One step before your first reviewed request"),
            TextBlock("Requests of Tier 2 and above go to pro developers. Please read the CoE guidelines first: they say what reviewers look for."),
            TextBlock("Your request is kept: when you confirm, I submit it straight away.", subtle: true),
        ],
        [
            CardActions.OpenUrl("Open the guidelines", guidelines),
            CardActions.Submit("I have read the guidelines", new JsonObject { [AcknowledgeKey] = true }, withInputs: false, ActionStyle.Positive),
        ]);
    }
}
