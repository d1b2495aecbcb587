using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.PowerPlatform;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Inventory;

/// <summary>Which solution's owner to ask: the inventory key (kind|environment|id).</summary>
public sealed record OwnerCardPayload(string TenantId, string Key);

/// <summary>
/// Asks the owner of an unregistered, flagged solution, once, in their 1:1 chat: what was found, why it matters, and
/// a button that starts intake pre-filled from the facts (or links it to a request they already filed). An owner the
/// bot cannot reach yet (no 1:1 chat) is recorded as such and listed for the CoE by <c>portfolio ungoverned</c>.
/// </summary>
public sealed partial class OwnerCardHandler(
    InventoryStore inventory,
    SolutionLinks links,
    IConversationReferenceStore references,
    ConnectorClient connector,
    TimeProvider time,
    ILogger<OwnerCardHandler> logger) : OutboxHandler<OwnerCardPayload>(Kind)
{
    public const string Kind = "platform-owner";

    public static string ItemId(string tenantId, string key) => $"{Kind}:{tenantId}:{key}";

    protected override async Task HandleAsync(OwnerCardPayload payload, CancellationToken cancellationToken)
    {
        var record = await inventory.GetSolutionAsync(payload.TenantId, payload.Key, cancellationToken);
        if (record is null || await inventory.GetAskAsync(payload.TenantId, payload.Key, cancellationToken) is not null)
        {
            return;
        }

        var solution = record.Solution;
        if (await links.FindRequestAsync(payload.TenantId, solution.Kind, solution.EnvironmentName, solution.Id, cancellationToken) is not null)
        {
            return;
        }

        var reference = string.IsNullOrEmpty(solution.OwnerObjectId)
            ? null
            : await references.GetForUserAsync(payload.TenantId, solution.OwnerObjectId, null, cancellationToken);
        if (reference is null)
        {
            await inventory.SaveAskAsync(payload.TenantId, payload.Key, new OwnerAsk(time.GetUtcNow(), Delivered: false, solution.OwnerObjectId), cancellationToken);
            LogUnreachable(Logger, solution.Kind);
            return;
        }

        await connector.SendToReferenceAsync(reference, new Activity
        {
            Type = ActivityTypes.Message,
            Summary = $"Your {Noun(solution.Kind)} {CardText.Truncate(solution.DisplayName, 60)} is not registered yet",
            Attachments = [OwnerCard.Build(payload.Key, record).ToAttachment()],
        }, cancellationToken);
        // After the send: a crash in between sends once more, never not at all.
        await inventory.SaveAskAsync(payload.TenantId, payload.Key, new OwnerAsk(time.GetUtcNow(), Delivered: true, solution.OwnerObjectId), cancellationToken);
        LogAsked(Logger, solution.Kind);
    }

    private ILogger Logger => logger;

    internal static string Noun(SolutionKind kind) => kind switch
    {
        SolutionKind.App => "app",
        SolutionKind.Flow => "flow",
        SolutionKind.Agent => "agent",
        _ => "solution",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner of an unregistered {Kind} asked to register it")]
    private static partial void LogAsked(ILogger logger, SolutionKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner of an unregistered {Kind} has no chat with the bot; listed for the CoE")]
    private static partial void LogUnreachable(ILogger logger, SolutionKind kind);
}

/// <summary>The owner's card: the facts, the reasons, Register (pre-filled intake) and Link to a request already filed.</summary>
public static class OwnerCard
{
    public const string RegisterKey = "platformRegister";
    public const string LinkKey = "platformLink";
    public const string RequestInputKey = "platformRequest";

    public static JsonObject Build(string key, SolutionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var solution = record.Solution;
        var noun = OwnerCardHandler.Noun(solution.Kind);
        List<(string, string)> facts =
        [
            ("Environment", CardText.EscapeLine(solution.EnvironmentName)),
            ("Created", solution.CreatedAt is { } created ? created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "unknown"),
            ("Shared with", solution.SharedWithEveryone ? "everyone" : string.Create(CultureInfo.InvariantCulture, $"{solution.SharedUsers} people, {solution.SharedGroups} groups")),
        ];
        if (solution.Connectors.Count > 0)
        {
            facts.Add(("Connectors", CardText.EscapeLine(string.Join(", ", solution.Connectors.Select(c => string.IsNullOrEmpty(c.DisplayName) ? c.ApiName : c.DisplayName)))));
        }

        return AdaptiveCardJson.Create(
        [
            Heading($"Your {noun} {CardText.EscapeLine(solution.DisplayName)} is not registered yet"),
            FactSet(facts),
            TextBlock("It matters because:", bold: true),
            .. record.Flags.Select(f => TextBlock("• " + CardText.EscapeLine(f))),
            TextBlock($"Registering it takes a few minutes: the answers are filled in from what I found, you confirm each. Already filed a request for it? Give its id and I'll link them."),
            CardInputs.Text(RequestInputKey, "Request id (only if you already filed one)", placeholder: "FR-000123"),
        ],
        [
            CardActions.Submit("Register it", new JsonObject { [RegisterKey] = key }, withInputs: false, style: ActionStyle.Positive),
            CardActions.Submit("Link to my request", new JsonObject { [LinkKey] = key }),
        ]);
    }
}
