using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Retention;
using Microsoft.Extensions.Options;
using FusionBot.Storage;

namespace FusionBot.Features.Privacy;

/// <summary>Whom to erase (keys resolved when the admin confirmed), who asked, and when: the time every record of it carries.</summary>
public sealed record PrivacyErasePayload(PersonKeys Person, Person Admin, DateTimeOffset At)
{
    public ErasedPerson Erased => new(Person.TenantId, Person.TeamsId, Person.AadObjectId);
}

/// <summary>
/// Erases one person: pseudonymises them in their requests, their history, component uses and the inventory, deletes their own
/// records, logs the erasure (pseudonym, who, when) and tells the admin. Every step is keyed and repeatable, so a
/// crash means the item runs again and finishes.
/// </summary>
public sealed partial class PrivacyEraseHandler(
    PersonalDataRows personalData,
    PlatformPersonalData platform,
    RequestPseudonymisation pseudonymisation,
    IComponentCatalogueStore catalogue,
    PrivacyRecords records,
    IConversationReferenceStore references,
    ConnectorClient connector,
    IOptions<RetentionOptions> retention,
    ILogger<PrivacyEraseHandler> logger) : OutboxHandler<PrivacyErasePayload>(Kind)
{
    public const string Kind = "privacy.erase";

    protected override async Task HandleAsync(PrivacyErasePayload payload, CancellationToken cancellationToken)
    {
        var person = payload.Person;
        var erased = payload.Erased;
        var requestIds = await personalData.RequestIdsAsync(person, cancellationToken);
        var pseudonymised = 0;
        foreach (var requestId in requestIds)
        {
            pseudonymised += await pseudonymisation.PseudonymiseAsync(person.TenantId, requestId, erased, payload.Admin, payload.At, cancellationToken) ? 1 : 0;
        }

        var components = (await catalogue.ListAsync(person.TenantId, cancellationToken)).Select(c => c.Id).ToList();
        await personalData.PseudonymiseUsesAsync(erased, components, requestIds, cancellationToken);
        var kept = retention.Value;
        var deleted = await personalData.DeleteAsync(person, components, kept.DialogStates, kept.ComponentOpens, cancellationToken);
        deleted += await platform.EraseAsync(erased, requestIds, cancellationToken);
        await records.RecordErasureAsync(person.TenantId,
            new ErasureRecord(erased.Pseudonym.Id, payload.Admin, payload.At, pseudonymised, deleted), cancellationToken);
        LogErased(logger, erased.Pseudonym.Id, pseudonymised, deleted);

        if (await references.GetForUserAsync(person.TenantId, payload.Admin.AadObjectId, payload.Admin.Id, cancellationToken) is { } chat)
        {
            await connector.SendToReferenceAsync(chat, new Activity
            {
                Type = ActivityTypes.Message,
                Text = $"Erased: **{erased.Pseudonym.Name}** now stands for that person in {pseudonymised} request(s); {deleted} record(s) of theirs were deleted.",
            }, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Personal data erased for {Pseudonym}: {Requests} requests pseudonymised, {Deleted} records deleted")]
    private static partial void LogErased(ILogger logger, string pseudonym, int requests, int deleted);
}
