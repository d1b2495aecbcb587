using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Tracking;

/// <summary>The maker's view of their own requests: the list, one request with its history, and withdrawing one.</summary>
public sealed class RequestTracking(
    IRequestStore requests,
    RequestWorkflow workflow,
    IntakeQuestions questions,
    SolutionLinks solutionLinks)
{
    private const int ListLimit = 20;

    public async Task ListAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var mine = await requests.ListByMakerAsync(turn.TenantId(), turn.Sender().Id, ListLimit, cancellationToken);
        if (mine.Count == 0)
        {
            await turn.SendCardAsync(AdaptiveCardJson.Create(
                [TextBlock("You have no requests yet.")],
                [CardActions.Command("New request", "new request")]), "You have no requests yet", cancellationToken);
            return;
        }

        var card = AdaptiveCardJson.Create(
        [
            Heading("Your requests"),
            FactSet(mine.Select(r => (r.Id, $"{CardText.EscapeLine(r.Title)} · Tier {r.Tier} · {RequestStatusText.Describe(r.Status)}"))),
            TextBlock("Type **status FR-…** for one request and its history.", subtle: true),
        ],
        [CardActions.Command("New request", "new request")]);
        await turn.SendCardAsync(card, $"You have {CardWords.Count(mine.Count, "request")}", cancellationToken);
    }

    public async Task StatusAsync(TurnContext turn, string id, CancellationToken cancellationToken)
    {
        var request = await FindOwnAsync(turn, id, cancellationToken);
        if (request is null)
        {
            return;
        }

        var events = await workflow.HistoryAsync(request, cancellationToken);
        var linked = await solutionLinks.ForRequestAsync(request.TenantId, request.Id, cancellationToken);
        await turn.SendCardAsync(StatusCard(request, events, linked), $"{request.Id}: {RequestStatusText.Describe(request.Status)}", cancellationToken);
    }

    public async Task WithdrawAsync(TurnContext turn, string id, CancellationToken cancellationToken)
    {
        var request = await FindOwnAsync(turn, id, cancellationToken);
        if (request is null)
        {
            return;
        }

        if (request.Status != RequestStatus.Withdrawn)
        {
            if (!RequestLifecycle.Allows(request.Status, request.Tier, RequestAction.Withdraw, RequestRole.Maker))
            {
                await turn.SendTextAsync($"{request.Id} is already {RequestStatusText.Describe(request.Status).ToLowerInvariant()}; it cannot be withdrawn.", cancellationToken);
                return;
            }

            try
            {
                await workflow.ApplyAsync(request,
                    [new RequestStep(RequestAction.Withdraw, turn.Sender(), RequestRole.Maker) { ThreadText = "Withdrawn by the maker." }],
                    cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                await turn.SendTextAsync($"{request.Id} changed just now; type **status {request.Id}** to see it, then try again.", cancellationToken);
                return;
            }
        }

        // Also the answer to the same command delivered again after it was carried out.
        await turn.SendTextAsync($"Withdrawn: {request.Id} · {CardText.EscapeLine(request.Title)}.", cancellationToken);
    }

    private async Task<GovernanceRequest?> FindOwnAsync(TurnContext turn, string id, CancellationToken cancellationToken)
    {
        var request = await requests.GetAsync(turn.TenantId(), id, cancellationToken);
        if (request is not null && request.Maker.Id == turn.Sender().Id)
        {
            return request;
        }

        // Someone else's request reads as unknown: ids are guessable and requests are not public.
        await turn.SendTextAsync($"I can't find {CardText.EscapeLine(id)} among your requests. Type **my requests** to see them.", cancellationToken);
        return null;
    }

    private JsonObject StatusCard(GovernanceRequest request, IReadOnlyList<RequestHistoryEvent> events, IReadOnlyList<SolutionLink> linked)
    {
        List<(string, string)> facts =
        [
            ("Status", RequestStatusText.Describe(request.Status)),
            ("Tier", RequestStatusText.DescribeTier(request.Tier)),
            ("Submitted", CardWords.When(request.CreatedAt)),
        ];
        if (request.DueAt is { } due && !RequestLifecycle.IsFinal(request.Status))
        {
            facts.Add(("Review due", CardWords.When(due)));
        }

        if (request.Reviewer is { } reviewer)
        {
            facts.Add(("Reviewer", CardText.EscapeLine(reviewer.Name ?? reviewer.Id)));
        }

        foreach (var link in linked)
        {
            facts.Add(("Solution", CardText.EscapeLine(SolutionLinks.Describe(link))));
        }

        if (request.LastComment is { } comment)
        {
            facts.Add(("Last comment", CardText.Escape(comment, 500)));
        }

        if (request.BacklogItem is { } item)
        {
            facts.Add(("Backlog item", $"[#{CardText.EscapeLine(item.Id)}]({item.Url})"));
        }

        return AdaptiveCardJson.Create(
        [
            Heading($"{request.Id} · {CardText.EscapeLine(request.Title)}"),
            FactSet(facts),
            TextBlock("Reasons for the tier", bold: true),
            .. request.Reasons.Select(r => TextBlock($"• {CardText.EscapeLine(r)}")),
            TextBlock("Answers", bold: true),
            FactSet(questions.Facts(request.Answers).Select(f => (f.Title, CardText.Escape(f.Answer, 300)))),
            TextBlock("History", bold: true),
            FactSet(events.TakeLast(10).Select(e => (CardWords.When(e.At), CardText.EscapeLine($"{RequestActions.Describe(e.Action)} by {e.Actor.Name ?? e.Actor.Id}")))),
        ],
        [CardActions.Command("My requests", "my requests")]);
    }
}
