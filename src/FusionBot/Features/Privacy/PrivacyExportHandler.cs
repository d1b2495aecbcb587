using System.Globalization;
using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Links;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Privacy;

/// <summary>Whose data to export (as the admin typed it), for which admin, under which export id.</summary>
public sealed record PrivacyExportPayload(string TenantId, string User, Person Admin, string ExportId);

/// <summary>
/// Prepares an export in the background: finds where the person is stored (by key), keeps that as the export's
/// manifest until the link expires, and sends the admin a signed single-use link. The JSON itself is only produced
/// while the link is downloaded (<see cref="PrivacyExportEndpoint"/>), row by row, so no copy of the data is kept.
/// </summary>
public sealed class PrivacyExportHandler(
    PersonalDataRows personalData,
    IComponentCatalogueStore catalogue,
    PrivacyRecords records,
    SignedLinks links,
    IConversationReferenceStore references,
    ConnectorClient connector,
    IOptions<PrivacyOptions> options,
    TimeProvider time) : OutboxHandler<PrivacyExportPayload>(Kind)
{
    public const string Kind = "privacy.export";

    protected override async Task HandleAsync(PrivacyExportPayload payload, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + options.Value.ExportLinkLifetime).ToUnixTimeSeconds());
        var person = await personalData.ResolveAsync(payload.TenantId, payload.User, cancellationToken);
        var manifest = new PrivacyExportManifest(
            person,
            await personalData.RequestIdsAsync(person, cancellationToken),
            [.. (await catalogue.ListAsync(payload.TenantId, cancellationToken)).Select(c => c.Id)],
            now);
        await records.SaveExportAsync(payload.TenantId, payload.ExportId, expiresAt, manifest, cancellationToken);

        var link = PrivacyExportEndpoint.CreateLink(links, payload.TenantId, payload.Admin.AadObjectId ?? "", payload.ExportId, expiresAt);
        if (await references.GetForUserAsync(payload.TenantId, payload.Admin.AadObjectId, payload.Admin.Id, cancellationToken) is not { } chat)
        {
            return;
        }

        var minutes = options.Value.ExportLinkLifetime.TotalMinutes.ToString("0", CultureInfo.InvariantCulture);
        var card = link is null
            ? AdaptiveCardJson.Create([CardElements.TextBlock("The export could not be linked: Links:SigningKey and Links:PublicBaseUrl must be set.")])
            : AdaptiveCardJson.Create(
                [CardElements.TextBlock($"The export of that person's data is ready: {manifest.RequestIds.Count} request(s) and their own records. " +
                    $"The link works once, for {minutes} minutes, and only for you; don't forward it.")],
                [CardActions.OpenUrl("Download JSON", link)]);
        await connector.SendToReferenceAsync(chat, new Activity
        {
            Type = ActivityTypes.Message,
            Summary = "Personal data export",
            Attachments = [card.ToAttachment()],
        }, cancellationToken);
    }
}
