using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Portfolio;
using FusionBot.Features.Tracking;
using FusionBot.Hosting;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Intake;

/// <summary>Tier 1: the maker self-certifies with a checklist; ticking every item records who and when.</summary>
public sealed class SelfCertification(IRequestStore requests, IRequestHistoryStore history, PortfolioReviews portfolio, TimeProvider time)
{
    public const string RequestKey = "selfCertify";

    public static readonly IReadOnlyList<(string Id, string Text)> Items =
    [
        ("dataInTeam", "The data stays inside my team's own environment, lists and files."),
        ("sharedWithTeam", "I share the solution only with my team."),
        ("noSensitiveData", "It stores no confidential, personal, financial or health data."),
        ("ownersNamed", "I have named an owner and a backup owner who can keep it running."),
    ];

    public static JsonObject Checklist(GovernanceRequest request, string? problem)
    {
        List<JsonNode> body = [Heading($"Self-certification: {request.Id} · {CardText.EscapeLine(request.Title)}")];
        if (problem is not null)
        {
            body.Add(Container([TextBlock(problem)], ContainerStyle.Attention));
        }

        body.Add(TextBlock("Tier 1 needs no review. Confirm each point and you are free to build and deploy it."));
        body.AddRange(Items.Select(item => CardInputs.Toggle(item.Id, item.Text)));
        return AdaptiveCardJson.Create(body,
            [CardActions.Submit("Certify", new JsonObject { [RequestKey] = request.Id }, style: ActionStyle.Positive)]);
    }

    public async Task HandleAsync(TurnContext turn, JsonObject value, CancellationToken cancellationToken)
    {
        if (Read(value, RequestKey) is not { Length: > 0 } id)
        {
            await turn.SendTextAsync("I could not read which request that checklist is for. Type **my requests** to see yours.", cancellationToken);
            return;
        }

        var request = await requests.GetAsync(turn.TenantId(), id, cancellationToken);
        var sender = turn.Sender();
        if (request is null || request.Maker.Id != sender.Id)
        {
            await turn.SendTextAsync($"I can't find {CardText.EscapeLine(id)} among your requests.", cancellationToken);
            return;
        }

        if (request.Status != RequestStatus.Submitted || request.Tier != 1)
        {
            await turn.SendTextAsync($"{request.Id} is {RequestStatusText.Describe(request.Status).ToLowerInvariant()}; there is nothing to certify.", cancellationToken);
            return;
        }

        var unticked = Items.Where(item => Read(value, item.Id) != "true").ToList();
        if (unticked.Count > 0)
        {
            await turn.SendCardAsync(Checklist(request, "Tick every point to certify. If one is not true, the request is not Tier 1: type **withdraw " + request.Id + "** and start a new request."),
                $"{request.Id}: self-certification checklist", cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        GovernanceRequest certified;
        try
        {
            certified = await requests.UpdateAsync(request with { Status = RequestStatus.SelfCertified, UpdatedAt = now }, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            await turn.SendTextAsync($"{request.Id} changed while you were certifying; type **status {request.Id}** to see it.", cancellationToken);
            return;
        }

        // The first periodic review first: the certification is stored and nothing failing after it may lose the review.
        await portfolio.ScheduleNextAsync(certified, cancellationToken);
        await history.AppendAsync(new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = now,
            Action = RequestActions.SelfCertified,
            Actor = sender,
            StatusBefore = request.Status,
            StatusAfter = RequestStatus.SelfCertified,
            Comment = string.Join(" ", Items.Select(i => "✔ " + i.Text)),
        }, cancellationToken);

        FusionBotTelemetry.Decided(1, RequestActions.SelfCertified);
        await turn.SendTextAsync($"Self-certified {request.Id} on {now:yyyy-MM-dd HH:mm} UTC. It is yours to build and deploy; good luck!", cancellationToken);
    }

    private static string? Read(JsonObject value, string key) =>
        value[key] is JsonValue node && node.TryGetValue<string>(out var text) ? text : null;
}
