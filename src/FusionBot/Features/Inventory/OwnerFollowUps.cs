using System.Text.Json.Serialization;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Features.Outbox;
using FusionBot.PowerPlatform;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Inventory;

[JsonConverter(typeof(JsonStringEnumConverter<OwnerFollowUp>))]
public enum OwnerFollowUp { Reminder, Escalation }

/// <summary>A follow-up of an owner card: the reminder to the owner, or the escalation (fanned out to one item per CoE admin, <see cref="AdminId"/>).</summary>
public sealed record OwnerFollowUpPayload(string TenantId, string Key, OwnerFollowUp Step, string? AdminId = null);

/// <summary>
/// An owner card left unanswered: <see cref="PowerPlatformOptions.OwnerReminderAfter"/> after it was delivered the
/// owner is reminded, and <see cref="PowerPlatformOptions.OwnerEscalationAfter"/> after it the CoE admins are told, each
/// once: both items are queued with the card under ids fixed by the solution, and the escalation becomes one item per
/// admin so that a failed send to one never repeats the others. Each does nothing once the solution is linked to a
/// request (registered through the card, or linked) or was missing from the last sync of its environment.
/// </summary>
public sealed partial class OwnerFollowUpHandler(
    InventoryStore inventory,
    SolutionLinks links,
    IConversationReferenceStore references,
    ConnectorClient connector,
    AccessPolicy access,
    WorkOutbox outbox,
    ILogger<OwnerFollowUpHandler> logger) : OutboxHandler<OwnerFollowUpPayload>(Kind)
{
    public const string Kind = "platform-owner-followup";

    public static string ItemId(string tenantId, string key, OwnerFollowUp step) => $"{Kind}:{tenantId}:{key}:{step.ToString().ToLowerInvariant()}";

    /// <summary>Queues the reminder and the escalation of a card delivered at <paramref name="askedAt"/>; queued again, nothing changes.</summary>
    public static async Task ScheduleAsync(WorkOutbox outbox, string tenantId, string key, DateTimeOffset askedAt, PowerPlatformOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(options);
        await outbox.EnqueueAsync(ItemId(tenantId, key, OwnerFollowUp.Reminder), Kind,
            new OwnerFollowUpPayload(tenantId, key, OwnerFollowUp.Reminder), askedAt + options.OwnerReminderAfter, cancellationToken: cancellationToken);
        await outbox.EnqueueAsync(ItemId(tenantId, key, OwnerFollowUp.Escalation), Kind,
            new OwnerFollowUpPayload(tenantId, key, OwnerFollowUp.Escalation), askedAt + options.OwnerEscalationAfter, cancellationToken: cancellationToken);
    }

    protected override async Task HandleAsync(OwnerFollowUpPayload payload, CancellationToken cancellationToken)
    {
        if (await StillUnansweredAsync(payload, cancellationToken) is not { } record)
        {
            LogSettled(logger, payload.Step);
            return;
        }

        switch (payload)
        {
            case { Step: OwnerFollowUp.Reminder }:
                await RemindAsync(payload, record, cancellationToken);
                break;
            case { Step: OwnerFollowUp.Escalation, AdminId: null }:
                foreach (var adminId in access.AdminIdsOf(payload.TenantId))
                {
                    await outbox.EnqueueAsync($"{ItemId(payload.TenantId, payload.Key, OwnerFollowUp.Escalation)}:{adminId}", Kind,
                        payload with { AdminId = adminId }, cancellationToken: cancellationToken);
                }

                break;
            default:
                await EscalateAsync(payload, payload.AdminId!, record, cancellationToken);
                break;
        }
    }

    /// <summary>The solution as last synced, when it is still there and still not linked to any request.</summary>
    private async Task<SolutionRecord?> StillUnansweredAsync(OwnerFollowUpPayload payload, CancellationToken cancellationToken)
    {
        var record = await inventory.GetSolutionAsync(payload.TenantId, payload.Key, cancellationToken);
        if (record is null || record.RequestId is not null)
        {
            return null;
        }

        var solution = record.Solution;
        var environment = await inventory.GetEnvironmentAsync(payload.TenantId, solution.EnvironmentName, cancellationToken);
        if (environment is not null && environment.SyncedAt > record.LastSeen)
        {
            // The last sync of its environment did not find it: deleted, or moved elsewhere.
            return null;
        }

        return await links.FindRequestAsync(payload.TenantId, solution.Kind, solution.EnvironmentName, solution.Id, cancellationToken) is null ? record : null;
    }

    private async Task RemindAsync(OwnerFollowUpPayload payload, SolutionRecord record, CancellationToken cancellationToken)
    {
        var solution = record.Solution;
        var reference = string.IsNullOrEmpty(solution.OwnerObjectId)
            ? null
            : await references.GetForUserAsync(payload.TenantId, solution.OwnerObjectId, null, cancellationToken);
        if (reference is null)
        {
            LogOwnerUnreachable(logger);
            return;
        }

        await connector.SendToReferenceAsync(reference, new Activity
        {
            Type = ActivityTypes.Message,
            Summary = $"Reminder: your {OwnerCardHandler.Noun(solution.Kind)} {CardText.Truncate(solution.DisplayName, 60)} is not registered yet",
            Attachments = [OwnerCard.Build(payload.Key, record, reminder: true).ToAttachment()],
        }, cancellationToken);
        LogReminded(logger, solution.Kind);
    }

    private async Task EscalateAsync(OwnerFollowUpPayload payload, string adminId, SolutionRecord record, CancellationToken cancellationToken)
    {
        if (await references.GetAdminChatAsync(adminId, payload.TenantId, cancellationToken) is not { } reference)
        {
            LogAdminUnreachable(logger, adminId);
            return;
        }

        var solution = record.Solution;
        var noun = OwnerCardHandler.Noun(solution.Kind);
        var asked = await inventory.GetAskAsync(payload.TenantId, payload.Key, cancellationToken);
        await connector.SendToReferenceAsync(reference, new Activity
        {
            Type = ActivityTypes.Message,
            Summary = $"Still unregistered: {noun} {CardText.Truncate(solution.DisplayName, 60)}",
            Attachments = [AdaptiveCardJson.Create(
            [
                Heading($"Still unregistered: {noun} {CardText.EscapeLine(solution.DisplayName)}"),
                FactSet(
                [
                    ("Owner", CardText.EscapeLine(solution.OwnerName ?? solution.OwnerObjectId ?? "unknown")),
                    ("Environment", CardText.EscapeLine(solution.EnvironmentName)),
                    ("Owner asked", asked is null ? "—" : asked.At.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                ]),
                TextBlock("It matters because:", bold: true),
                .. record.Flags.Select(f => TextBlock("• " + CardText.EscapeLine(f))),
                TextBlock("The owner did not register or link it. Type **portfolio ungoverned** to see everything still unregistered.", subtle: true),
            ]).ToAttachment()],
        }, cancellationToken);
        LogEscalated(logger, solution.Kind);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner card {Step} not needed: the solution is linked or gone")]
    private static partial void LogSettled(ILogger logger, OwnerFollowUp step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner of an unregistered {Kind} reminded")]
    private static partial void LogReminded(ILogger logger, SolutionKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "CoE admin told of an unregistered {Kind} whose owner did not answer")]
    private static partial void LogEscalated(ILogger logger, SolutionKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Owner of an unregistered solution not reminded: no 1:1 chat with the bot any more")]
    private static partial void LogOwnerUnreachable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CoE admin {AdminId} not told of an unanswered owner card: no 1:1 with the bot in that tenant")]
    private static partial void LogAdminUnreachable(ILogger logger, string adminId);
}
