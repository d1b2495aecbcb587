using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// The requests a person made or acted on (PartitionKey = tenant|person key, RowKey = request id), written by
/// <see cref="Requests.RequestWorkflow"/> before the request itself, so an erasure or export finds them by key, not by
/// reading every request of the tenant. A person's key is their Entra object id, or their Teams id when it is unknown.
/// An entry whose request never landed is harmless: the request is read and the person looked for in it.
/// </summary>
public sealed class PersonRequestIndex(ITableRowStore rows)
{
    public static string KeyOf(Requests.Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return string.IsNullOrEmpty(person.AadObjectId) ? person.Id : person.AadObjectId;
    }

    public Task AddAsync(string tenantId, string personKey, string requestId, CancellationToken cancellationToken = default) =>
        rows.UpsertAsync(StorageTables.RequestsByPerson, Partition(tenantId, personKey), requestId, "{}", cancellationToken);

    public async Task<IReadOnlyList<string>> ListAsync(string tenantId, string personKey, CancellationToken cancellationToken = default)
    {
        var entries = await rows.QueryAllAsync(StorageTables.RequestsByPerson, Partition(tenantId, personKey), RowKeyRange.All, cancellationToken);
        return [.. entries.Select(e => e.RowKey)];
    }

    /// <summary>Takes <paramref name="requestId"/> off the person's list (the request was purged); safe to repeat.</summary>
    public Task RemoveAsync(string tenantId, string personKey, string requestId, CancellationToken cancellationToken = default) =>
        rows.DeleteAsync(StorageTables.RequestsByPerson, Partition(tenantId, personKey), requestId, cancellationToken: cancellationToken);

    public async Task RemoveAllAsync(string tenantId, string personKey, CancellationToken cancellationToken = default)
    {
        foreach (var requestId in await ListAsync(tenantId, personKey, cancellationToken))
        {
            await rows.DeleteAsync(StorageTables.RequestsByPerson, Partition(tenantId, personKey), requestId, cancellationToken: cancellationToken);
        }
    }

    private static string Partition(string tenantId, string personKey) => tenantId + "|" + personKey;
}
