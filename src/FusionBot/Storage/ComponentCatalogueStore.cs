using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// Opens are noted in <see cref="WrittenRowIndex"/>, so the retention run deletes those not repeated for
/// <c>Retention:ComponentOpens</c> without reading every tenant's opens (<see cref="PurgeOpensAsync"/>).
/// </summary>
public sealed class ComponentCatalogueStore(ITableRowStore rows, WrittenRowIndex written) : IComponentCatalogueStore
{
    public async Task<bool> AddAsync(string tenantId, CatalogueComponent component, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(component);
        var data = StorageJson.Serialize(component);
        var existing = await rows.GetAsync(StorageTables.Components, tenantId, component.Id, cancellationToken);
        if (existing is null)
        {
            try
            {
                await rows.InsertAsync(StorageTables.Components, tenantId, component.Id, data, cancellationToken);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        }

        if (StorageJson.Deserialize<CatalogueComponent>(existing.Data).RetiredAt is null)
        {
            return false;
        }

        try
        {
            await rows.ReplaceAsync(StorageTables.Components, tenantId, component.Id, data, existing.ETag, cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }

    public async Task<bool> RetireAsync(string tenantId, string componentId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var existing = await rows.GetAsync(StorageTables.Components, tenantId, componentId, cancellationToken);
        if (existing is null || StorageJson.Deserialize<CatalogueComponent>(existing.Data) is not { RetiredAt: null } component)
        {
            return false;
        }

        // A concurrent retire or re-add surfaces as ConcurrencyConflictException: the caller's turn fails rather than guessing.
        await rows.ReplaceAsync(StorageTables.Components, tenantId, componentId, StorageJson.Serialize(component with { RetiredAt = at }), existing.ETag, cancellationToken);
        return true;
    }

    public async Task<CatalogueComponent?> GetAsync(string tenantId, string componentId, CancellationToken cancellationToken = default)
    {
        var row = await rows.GetAsync(StorageTables.Components, tenantId, componentId, cancellationToken);
        return row is null ? null : StorageJson.Deserialize<CatalogueComponent>(row.Data);
    }

    public async Task<IReadOnlyList<CatalogueComponent>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var all = await rows.QueryAllAsync(StorageTables.Components, tenantId, RowKeyRange.All, cancellationToken);
        return [.. all.Select(row => StorageJson.Deserialize<CatalogueComponent>(row.Data))];
    }

    public async Task<bool> RecordUseAsync(string tenantId, ComponentUse use, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(use);
        try
        {
            await rows.InsertAsync(StorageTables.ComponentUses, tenantId, $"{use.ComponentId}|{use.RequestId}", StorageJson.Serialize(use), cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<ComponentUse>> ListUsesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var all = await rows.QueryAllAsync(StorageTables.ComponentUses, tenantId, RowKeyRange.All, cancellationToken);
        return [.. all.Select(row => StorageJson.Deserialize<ComponentUse>(row.Data))];
    }

    public async Task RecordOpenAsync(string tenantId, ComponentOpen open, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        var rowKey = $"{open.ComponentId}|{open.UserId}";
        var etag = await rows.UpsertAsync(StorageTables.ComponentOpens, tenantId, rowKey, StorageJson.Serialize(open), cancellationToken);
        await written.NoteAsync(StorageTables.ComponentOpens, tenantId, rowKey, etag, open.At, OpenNotePrefix(tenantId, open.UserId) + open.ComponentId, cancellationToken);
    }

    /// <summary>What the notes of one person's opens start with (tenant|user|), so an erasure finds them by range.</summary>
    public static string OpenNotePrefix(string tenantId, string userId) => tenantId + "|" + userId + "|";

    public Task<int> PurgeOpensAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default) =>
        written.PurgeAsync(StorageTables.ComponentOpens, before, max, cancellationToken);

    public async Task<IReadOnlyList<ComponentOpen>> ListOpensAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var all = await rows.QueryAllAsync(StorageTables.ComponentOpens, tenantId, RowKeyRange.All, cancellationToken);
        return [.. all.Select(row => StorageJson.Deserialize<ComponentOpen>(row.Data))];
    }
}
