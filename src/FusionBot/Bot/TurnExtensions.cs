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

    public static Task<ResourceResponse> SendCardAsync(this TurnContext turn, JsonObject card, string summary, CancellationToken cancellationToken) =>
        turn.SendActivityAsync(new Activity
        {
            Type = ActivityTypes.Message,
            Summary = summary,
            Attachments = [card.ToAttachment()],
        }, cancellationToken);
}
