using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>A prepared export: which preparation's chunks hold it, the data version it was made from, and the one before it.</summary>
public sealed record ExportFile(string PreparationId, string Version, int Chunks, DateTimeOffset PreparedAt, string? Previous = null);

/// <summary>
/// Prepared export files of a tenant (table <c>exports</c>, partition = tenant): the text in chunk rows of a few hundred
/// lines, and one row naming the current preparation. Written a chunk at a time and read a page of chunks at a time, so
/// neither side holds the file. A new preparation becomes current with an ETag-guarded write; the chunks of the one
/// before the previous are deleted then (the previous may still be streaming to someone).
/// </summary>
public sealed class ExportFileStore(ITableRowStore rows)
{
    private const int LinesPerChunk = 250;
    private const int ChunksPerRead = 16;

    public async Task<ExportFile?> GetAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        var row = await rows.GetAsync(StorageTables.Exports, tenantId, name, cancellationToken);
        return row is null ? null : StorageJson.Deserialize<ExportFile>(row.Data);
    }

    /// <summary>Stores <paramref name="lines"/> as the current <paramref name="name"/> file; returns what is current afterwards.</summary>
    public async Task<ExportFile> SaveAsync(string tenantId, string name, string version, IAsyncEnumerable<string> lines, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var preparation = now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..8];
        var chunk = new StringBuilder();
        var chunks = 0;
        var inChunk = 0;
        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            chunk.Append(line);
            if (++inChunk == LinesPerChunk)
            {
                await rows.UpsertAsync(StorageTables.Exports, tenantId, ChunkKey(name, preparation, chunks++), chunk.ToString(), cancellationToken);
                chunk.Clear();
                inChunk = 0;
            }
        }

        if (inChunk > 0 || chunks == 0)
        {
            await rows.UpsertAsync(StorageTables.Exports, tenantId, ChunkKey(name, preparation, chunks++), chunk.ToString(), cancellationToken);
        }

        var current = await rows.GetAsync(StorageTables.Exports, tenantId, name, cancellationToken);
        var before = current is null ? null : StorageJson.Deserialize<ExportFile>(current.Data);
        var file = new ExportFile(preparation, version, chunks, now, before?.PreparationId);
        try
        {
            if (current is null)
            {
                await rows.InsertAsync(StorageTables.Exports, tenantId, name, StorageJson.Serialize(file), cancellationToken);
            }
            else
            {
                await rows.ReplaceAsync(StorageTables.Exports, tenantId, name, StorageJson.Serialize(file), current.ETag, cancellationToken);
            }
        }
        catch (ConcurrencyConflictException)
        {
            // Another instance made it current first: theirs stands, ours goes.
            await DeleteAsync(tenantId, name, preparation, cancellationToken);
            return await GetAsync(tenantId, name, cancellationToken) ?? file;
        }

        if (before?.Previous is { } old)
        {
            await DeleteAsync(tenantId, name, old, cancellationToken);
        }

        return file;
    }

    /// <summary>The file's text, chunk by chunk.</summary>
    public async IAsyncEnumerable<string> ReadAsync(string tenantId, string name, ExportFile file, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var range = RowKeyRange.Prefix(ChunkPrefix(name, file.PreparationId));
        while (true)
        {
            var page = await rows.QueryAsync(StorageTables.Exports, tenantId, range, ChunksPerRead, cancellationToken);
            foreach (var row in page)
            {
                yield return row.Data;
            }

            if (page.Count < ChunksPerRead)
            {
                yield break;
            }

            range = range.After(page[^1].RowKey);
        }
    }

    private async Task DeleteAsync(string tenantId, string name, string preparation, CancellationToken cancellationToken)
    {
        foreach (var row in await rows.QueryAllAsync(StorageTables.Exports, tenantId, RowKeyRange.Prefix(ChunkPrefix(name, preparation)), cancellationToken))
        {
            await rows.DeleteAsync(StorageTables.Exports, tenantId, row.RowKey, cancellationToken: cancellationToken);
        }
    }

    private static string ChunkPrefix(string name, string preparation) => $"{name}|{preparation}|";

    private static string ChunkKey(string name, string preparation, int chunk) =>
        ChunkPrefix(name, preparation) + chunk.ToString("D6", CultureInfo.InvariantCulture);
}
