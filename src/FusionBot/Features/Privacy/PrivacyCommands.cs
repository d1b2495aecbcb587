using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Features.Outbox;
using FusionBot.Links;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Privacy;

/// <summary>
/// <c>privacy export &lt;user&gt;</c> and <c>privacy erase &lt;user&gt;</c>, for CoE admins, about a person of their own
/// tenant named by Entra object id or Teams user id. Both run in the background through the outbox: the export sends
/// the admin a single-use link, the erasure (after a confirm card) tells the admin when it is done.
/// </summary>
public sealed class PrivacyCommands(
    AccessPolicy access, PersonalDataRows personalData, WorkOutbox outbox, SignedLinks links, IOptions<Links.LinkOptions> linkOptions, TimeProvider time)
{
    /// <summary>The confirm card's value: the person to erase; <see cref="NonceKey"/> makes a double press one erasure.</summary>
    public const string EraseKey = "privacyErase";
    public const string NonceKey = "privacyNonce";

    public async Task HandleAsync(TurnContext turn, string? argument, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (!await access.IsAdminAsync(turn.Sender(), turn.TenantId(), cancellationToken))
        {
            await turn.SendTextAsync(access.RefuseNonAdmin("Only CoE admins can export or erase a person's data.", turn.TenantId()), cancellationToken);
            return;
        }

        var parts = (argument ?? "").Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts is not [var verb, var user] || user.Contains(' ', StringComparison.Ordinal) || user.Length > 200
            || !(verb.Equals("export", StringComparison.OrdinalIgnoreCase) || verb.Equals("erase", StringComparison.OrdinalIgnoreCase)))
        {
            await turn.SendTextAsync("Try **privacy export** or **privacy erase** followed by the person's Entra object id (or Teams user id).", cancellationToken);
            return;
        }

        if (verb.Equals("export", StringComparison.OrdinalIgnoreCase))
        {
            await ExportAsync(turn, user, cancellationToken);
            return;
        }

        var card = AdaptiveCardJson.Create(
            [
                CardElements.Heading("Erase a person's data?"),
                CardElements.TextBlock($"Everything FusionBot keeps about **{CardText.EscapeLine(user)}** goes: their chat address, dialog, " +
                    "digest subscription, guideline acknowledgement and component opens. In requests and history their name and ids are " +
                    "replaced by a pseudonym, so the audit trail and the figures stay. This cannot be undone."),
            ],
            [CardActions.Submit("Erase", new JsonObject { [EraseKey] = user, [NonceKey] = Nonce() }, withInputs: false, style: ActionStyle.Destructive)]);
        await turn.SendCardAsync(card, "Confirm erasure", cancellationToken);
    }

    /// <summary>The admin pressed Erase on the confirm card: checked again (the card may have been forwarded), then queued.</summary>
    public async Task OnConfirmAsync(TurnContext turn, JsonObject value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(value);
        var admin = turn.Sender();
        if (!await access.IsAdminAsync(admin, turn.TenantId(), cancellationToken))
        {
            await turn.SendTextAsync(access.RefuseNonAdmin("Only CoE admins can erase a person's data.", turn.TenantId()), cancellationToken);
            return;
        }

        if (Text(value, EraseKey) is not { Length: > 0 and <= 200 } user || Text(value, NonceKey) is not { Length: > 0 and <= 64 } nonce)
        {
            await turn.SendTextAsync("I could not read that confirmation. Type **privacy erase** and the person's id again.", cancellationToken);
            return;
        }

        // The keys are fixed now, before anything is deleted: a retried erasure still knows every id and the chat.
        var person = await personalData.ResolveAsync(turn.TenantId(), user, cancellationToken);
        var payload = new PrivacyErasePayload(person, admin, time.GetUtcNow());
        var pseudonym = payload.Erased.Pseudonym.Id;
        await outbox.EnqueueAsync($"{PrivacyEraseHandler.Kind}:{turn.TenantId()}:{pseudonym}:{nonce}", PrivacyEraseHandler.Kind, payload,
            cancellationToken: cancellationToken);
        await turn.SendTextAsync($"Erasing: I will tell you here when it is done. The person will appear as **{payload.Erased.Pseudonym.Name}**.", cancellationToken);
    }

    private async Task ExportAsync(TurnContext turn, string user, CancellationToken cancellationToken)
    {
        // Made in the background, where no request tells the bot its own address.
        if (!links.IsConfigured || linkOptions.Value.PublicBaseUrl is null)
        {
            await turn.SendTextAsync("Export is not configured: the CoE's administrator must set Links:SigningKey and Links:PublicBaseUrl.", cancellationToken);
            return;
        }

        var exportId = Nonce();
        await outbox.EnqueueAsync($"{PrivacyExportHandler.Kind}:{turn.TenantId()}:{exportId}", PrivacyExportHandler.Kind,
            new PrivacyExportPayload(turn.TenantId(), user, turn.Sender(), exportId), cancellationToken: cancellationToken);
        await turn.SendTextAsync("Collecting what is stored about that person: I will send you a download link here in a moment.", cancellationToken);
    }

    private static string Nonce() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));

    private static string? Text(JsonObject value, string key) =>
        value[key] is JsonValue node && node.TryGetValue<string>(out var text) ? text.Trim() : null;
}
