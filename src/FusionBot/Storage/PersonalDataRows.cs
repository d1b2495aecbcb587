using System.Runtime.CompilerServices;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>The ids one person is stored under in a tenant, and their 1:1 chat with the bot when they have one.</summary>
public sealed record PersonKeys(string TenantId, string TeamsId, string? AadObjectId, string? ChatConversationId)
{
    /// <summary>Every id rows may be keyed by for this person: conversation references and opens use the Entra id where known.</summary>
    public IReadOnlyList<string> Ids => AadObjectId is { Length: > 0 } aad && aad != TeamsId ? [aad, TeamsId] : [TeamsId];
}

/// <summary>A stored row about a person, named by what it is (the section of an export).</summary>
public sealed record PersonalRow(string Section, TableRow Row);

/// <summary>
/// Where a person's own records live, read and removed by key: every table that holds a person, with the keys the
/// stores write them under (conversation references: tenant|user / id; dialog state: tenant|conversation / state;
/// digest subscribers and guideline acknowledgements: tenant / Teams id; component opens: tenant / component|id;
/// daily request counts: tenant|Teams id / day; request index: tenant|id / request; redelivery marks: day /
/// tenant|conversation|activity). Requests and their history are
/// not here: they are the audit trail, pseudonymised by <see cref="RequestPseudonymisation"/>.
/// </summary>
public sealed class PersonalDataRows(
    ITableRowStore rows, IRequestStore requests, PersonRequestIndex people, IProcessedActivityStore processedActivities, WrittenRowIndex written,
    TimeProvider time)
{
    private const string DialogRow = "state";

    /// <summary>
    /// The person <paramref name="user"/> (an Entra object id or a Teams user id) is in <paramref name="tenantId"/>: their
    /// stored 1:1 reference names both ids and the chat; without one, the id given is all there is to go on.
    /// </summary>
    public async Task<PersonKeys> ResolveAsync(string tenantId, string user, CancellationToken cancellationToken)
    {
        var row = await rows.GetAsync(StorageTables.ConversationReferences, ConversationReferenceStore.UserPartition(tenantId), user, cancellationToken);
        if (row is not null && StorageJson.Deserialize<ConversationReference>(row.Data) is { User.Id: { Length: > 0 } teamsId } reference)
        {
            return new PersonKeys(tenantId, teamsId, reference.User.AadObjectId, reference.Conversation?.Id);
        }

        return new PersonKeys(tenantId, user, Guid.TryParse(user, out _) ? user : null, null);
    }

    /// <summary>Ids of the requests the person made or took part in, from the maker index and the person index.</summary>
    public async Task<IReadOnlyList<string>> RequestIdsAsync(PersonKeys person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        ids.UnionWith(await requests.ListIdsByMakerAsync(person.TenantId, person.TeamsId, cancellationToken));
        foreach (var id in person.Ids)
        {
            ids.UnionWith(await people.ListAsync(person.TenantId, id, cancellationToken));
        }

        return [.. ids];
    }

    /// <summary>The person's own records, one row at a time (each read by key); <paramref name="componentIds"/> bounds the opens looked for.</summary>
    public async IAsyncEnumerable<PersonalRow> ReadAsync(PersonKeys person, IReadOnlyList<string> componentIds,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(componentIds);
        foreach (var (section, table, partition, rowKey) in PointRows(person, componentIds))
        {
            if (await rows.GetAsync(table, partition, rowKey, cancellationToken) is { } row)
            {
                yield return new PersonalRow(section, row);
            }
        }

        foreach (var row in await rows.QueryAllAsync(StorageTables.RequestsPerDay, CountPartition(person), RowKeyRange.All, cancellationToken))
        {
            yield return new PersonalRow("requestsPerDay", row);
        }
    }

    /// <summary>
    /// Deletes the person's own records (not requests or history), and the retention notes naming them, looking back
    /// <paramref name="dialogsKept"/> and <paramref name="opensKept"/> (how long those notes live). Returns how many rows went.
    /// </summary>
    public async Task<int> DeleteAsync(PersonKeys person, IReadOnlyList<string> componentIds, TimeSpan dialogsKept, TimeSpan opensKept,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        var deleted = 0;
        foreach (var (_, table, partition, rowKey) in PointRows(person, componentIds))
        {
            deleted += await rows.DeleteAsync(table, partition, rowKey, cancellationToken: cancellationToken) ? 1 : 0;
        }

        foreach (var row in await rows.QueryAllAsync(StorageTables.RequestsPerDay, CountPartition(person), RowKeyRange.All, cancellationToken))
        {
            deleted += await rows.DeleteAsync(StorageTables.RequestsPerDay, CountPartition(person), row.RowKey, cancellationToken: cancellationToken) ? 1 : 0;
        }

        var now = time.GetUtcNow();
        if (person.ChatConversationId is { Length: > 0 } chat)
        {
            // Redelivery marks and dialog notes carry the chat's id in their keys.
            deleted += await processedActivities.ForgetAsync($"{person.TenantId}|{chat}|", now, cancellationToken);
            deleted += await written.ForgetAsync(StorageTables.DialogState, DialogStateStore.NoteKey(person.TenantId + "|" + chat), now, dialogsKept, cancellationToken);
        }

        foreach (var id in person.Ids)
        {
            deleted += await written.ForgetAsync(StorageTables.ComponentOpens, ComponentCatalogueStore.OpenNotePrefix(person.TenantId, id), now, opensKept, cancellationToken);
        }

        foreach (var id in person.Ids)
        {
            await people.RemoveAllAsync(person.TenantId, id, cancellationToken);
        }

        return deleted;
    }

    /// <summary>
    /// Replaces the person by their pseudonym in the component uses of <paramref name="requestIds"/> (kept: the
    /// catalogue's figures count them). Read by key: component × request.
    /// </summary>
    public async Task PseudonymiseUsesAsync(ErasedPerson person, IReadOnlyList<string> componentIds, IReadOnlyList<string> requestIds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        foreach (var key in UseKeys(componentIds, requestIds))
        {
            if (await rows.GetAsync(StorageTables.ComponentUses, person.TenantId, key, cancellationToken) is { } row
                && StorageJson.Deserialize<ComponentUse>(row.Data) is var use && person.Matches(use.User))
            {
                await rows.ReplaceAsync(StorageTables.ComponentUses, person.TenantId, key,
                    StorageJson.Serialize(use with { User = person.Pseudonym }), row.ETag, cancellationToken);
            }
        }
    }

    /// <summary>The component uses recorded for <paramref name="requestIds"/>, read by key.</summary>
    public async IAsyncEnumerable<TableRow> ReadUsesAsync(string tenantId, IReadOnlyList<string> componentIds, IReadOnlyList<string> requestIds,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in UseKeys(componentIds, requestIds))
        {
            if (await rows.GetAsync(StorageTables.ComponentUses, tenantId, key, cancellationToken) is { } row)
            {
                yield return row;
            }
        }
    }

    private static IEnumerable<string> UseKeys(IReadOnlyList<string> componentIds, IReadOnlyList<string> requestIds) =>
        componentIds.SelectMany(component => requestIds.Select(request => $"{component}|{request}"));

    private static IEnumerable<(string Section, string Table, string Partition, string RowKey)> PointRows(PersonKeys person, IReadOnlyList<string> componentIds)
    {
        var tenant = person.TenantId;
        foreach (var id in person.Ids)
        {
            yield return ("conversationReferences", StorageTables.ConversationReferences, ConversationReferenceStore.UserPartition(tenant), id);
        }

        if (person.ChatConversationId is { Length: > 0 } chat)
        {
            yield return ("dialogState", StorageTables.DialogState, tenant + "|" + chat, DialogRow);
        }

        yield return ("digestSubscription", StorageTables.DigestSubscribers, tenant, person.TeamsId);
        yield return ("guidelineAcknowledgement", StorageTables.GuidelineAcknowledgements, tenant, person.TeamsId);
        foreach (var component in componentIds)
        {
            foreach (var id in person.Ids)
            {
                yield return ("componentOpens", StorageTables.ComponentOpens, tenant, $"{component}|{id}");
            }
        }
    }

    private static string CountPartition(PersonKeys person) => person.TenantId + "|" + person.TeamsId;
}
