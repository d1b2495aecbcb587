using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Hosting;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Intake;

/// <summary>Tier 1: the maker self-certifies with a checklist; ticking every item records who and when.</summary>
public sealed class SelfCertification(IRequestStore requests, RequestWorkflow workflow, TimeProvider time)
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

        if (request.Status == RequestStatus.SelfCertified)
        {
            // The same click delivered again after it was carried out: the same answer.
            var certifiedAt = (await workflow.HistoryAsync(request, cancellationToken)).LastOrDefault(e => e.Action == RequestActions.SelfCertified)?.At ?? request.UpdatedAt;
            await turn.SendTextAsync(Certified(request, certifiedAt, turn.ClientTimeZone()), cancellationToken);
            return;
        }

        if (!RequestLifecycle.Allows(request.Status, request.Tier, RequestAction.SelfCertify, RequestRole.Maker))
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
        try
        {
            await workflow.ApplyAsync(request,
                [new RequestStep(RequestAction.SelfCertify, sender, RequestRole.Maker) { Comment = string.Join(" ", Items.Select(i => "✔ " + i.Text)) }],
                cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            await turn.SendTextAsync($"{request.Id} changed while you were certifying; type **status {request.Id}** to see it.", cancellationToken);
            return;
        }

        FusionBotTelemetry.Decided(1, RequestActions.SelfCertified);
        await turn.SendTextAsync(Certified(request, now, turn.ClientTimeZone()), cancellationToken);
    }

    private static string Certified(GovernanceRequest request, DateTimeOffset at, TimeZoneInfo? zone) =>
        $"Self-certified {request.Id} on {LocalTime.Format(at, zone)}. It is yours to build and deploy; good luck!";

    private static string? Read(JsonObject value, string key) =>
        value[key] is JsonValue node && node.TryGetValue<string>(out var text) ? text : null;
}
