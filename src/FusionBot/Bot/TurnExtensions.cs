using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Protocol.Hosting;
using FusionBot.Protocol.Models;
using FusionBot.Requests;

namespace FusionBot.Bot;

/// <summary>What every feature reads from a turn: who spoke, in which tenant, and how to answer with a card.</summary>
public static class TurnExtensions
{
    /// <summary>Requests are partitioned by tenant; a channel that sends none (local tools) shares one partition.</summary>
    public const string UnknownTenant = "local";

    public static string TenantId(this TurnContext turn) => turn.Activity.GetTenantId() ?? UnknownTenant;

    public static Person Sender(this TurnContext turn)
    {
        var from = turn.Activity.From;
        return new Person(from?.Id ?? "unknown", from?.AadObjectId, from?.Name);
    }

    /// <summary>The IANA time zone the sender's Teams client reports (<c>entities[type=clientInfo].timezone</c>), if valid here.</summary>
    public static string? ClientTimeZoneId(this TurnContext turn) =>
        turn.Activity.Entities?.FirstOrDefault(e => e.Type == "clientInfo")?.Properties is { } info
        && info.TryGetValue("timezone", out var zone) && zone.ValueKind == System.Text.Json.JsonValueKind.String
        && LocalTime.Find(zone.GetString()) is not null
            ? zone.GetString()
            : null;

    /// <summary>The sender's time zone for plain-text times (<see cref="LocalTime.Format"/>); null: say UTC.</summary>
    public static TimeZoneInfo? ClientTimeZone(this TurnContext turn) => LocalTime.Find(turn.ClientTimeZoneId());

    public static Task<ResourceResponse> SendCardAsync(this TurnContext turn, JsonObject card, string summary, CancellationToken cancellationToken) =>
        turn.SendActivityAsync(new Activity
        {
            Type = ActivityTypes.Message,
            Summary = summary,
            Attachments = [card.ToAttachment()],
        }, cancellationToken);
}
