using System.Globalization;
using FusionBot.Requests;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>What a prepared export will stream: whose records, and which requests and components to look in.</summary>
public sealed record PrivacyExportManifest(PersonKeys Person, IReadOnlyList<string> RequestIds, IReadOnlyList<string> ComponentIds, DateTimeOffset PreparedAt);

/// <summary>That a person's data was erased, by whom and when, under their pseudonym (never their name or ids).</summary>
public sealed record ErasureRecord(string Pseudonym, Person ErasedBy, DateTimeOffset At, int Requests, int RecordsDeleted);

/// <summary>
/// Prepared exports (PartitionKey = tenant|exports, RowKey = expiry|export id: kept until the link expires, then removed
/// in key order without a scan) and the erasure log (PartitionKey = tenant|erasures, RowKey = time|pseudonym).
/// </summary>
public sealed class PrivacyRecords(ITableRowStore rows, TimeProvider time)
{
    private const int CleanupBatch = 50;

    /// <summary>Stores the manifest unless it is there already (the export item ran before), and drops expired ones.</summary>
    public async Task SaveExportAsync(string tenantId, string exportId, DateTimeOffset expiresAt, PrivacyExportManifest manifest, CancellationToken cancellationToken)
    {
        try
        {
            await rows.InsertAsync(StorageTables.Privacy, ExportsPartition(tenantId), ExportKey(expiresAt, exportId), StorageJson.Serialize(manifest), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Prepared by an earlier attempt of the same item.
        }

        var expired = await rows.QueryAsync(StorageTables.Privacy, ExportsPartition(tenantId),
            RowKeyRange.Below(Expiry(time.GetUtcNow())), CleanupBatch, cancellationToken);
        foreach (var row in expired)
        {
            await rows.DeleteAsync(StorageTables.Privacy, ExportsPartition(tenantId), row.RowKey, cancellationToken: cancellationToken);
        }
    }

    public async Task<PrivacyExportManifest?> GetExportAsync(string tenantId, string exportId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var row = await rows.GetAsync(StorageTables.Privacy, ExportsPartition(tenantId), ExportKey(expiresAt, exportId), cancellationToken);
        return row is null ? null : StorageJson.Deserialize<PrivacyExportManifest>(row.Data);
    }

    public Task<bool> DeleteExportAsync(string tenantId, string exportId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        rows.DeleteAsync(StorageTables.Privacy, ExportsPartition(tenantId), ExportKey(expiresAt, exportId), cancellationToken: cancellationToken);

    public Task RecordErasureAsync(string tenantId, ErasureRecord erasure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        return rows.UpsertAsync(StorageTables.Privacy, tenantId + "|erasures",
            erasure.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + erasure.Pseudonym, StorageJson.Serialize(erasure), cancellationToken);
    }

    public async Task<IReadOnlyList<ErasureRecord>> ListErasuresAsync(string tenantId, CancellationToken cancellationToken)
    {
        var all = await rows.QueryAllAsync(StorageTables.Privacy, tenantId + "|erasures", RowKeyRange.All, cancellationToken);
        return [.. all.Select(row => StorageJson.Deserialize<ErasureRecord>(row.Data))];
    }

    private static string ExportsPartition(string tenantId) => tenantId + "|exports";

    private static string ExportKey(DateTimeOffset expiresAt, string exportId) => Expiry(expiresAt) + "|" + exportId;

    private static string Expiry(DateTimeOffset at) => Math.Max(0, at.ToUnixTimeSeconds()).ToString("D12", CultureInfo.InvariantCulture);
}
