using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace FusionBot.Storage.Rows;

/// <summary>
/// Rows in Azure Table Storage, one table per logical table (prefix + name). The payload is split over
/// Data0..DataN string properties because one property holds at most 64 KiB.
/// </summary>
public sealed class AzureTableRowStore : ITableRowStore
{
    private const int ChunkLength = 30_000;
    private const string DataProperty = "Data";

    private readonly TableServiceClient _service;
    private readonly string _tablePrefix;
    private readonly ConcurrentDictionary<string, TableClient> _tables = new(StringComparer.Ordinal);
    private readonly InitializeOnce _initialization;

    public AzureTableRowStore(TableServiceClient service, string tablePrefix)
    {
        _service = service;
        _tablePrefix = tablePrefix;
        _initialization = new InitializeOnce(CreateTablesAsync);
    }

    public string Description =>
        $"Azure Table Storage {_service.Uri.GetLeftPart(UriPartial.Path)} (table prefix {_tablePrefix})";

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _initialization.EnsureAsync(cancellationToken);

    public async Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(
            TableKeyEncoding.Encode(partitionKey), TableKeyEncoding.Encode(rowKey), cancellationToken: cancellationToken);
        return response.HasValue ? ToRow(response.Value!) : null;
    }

    public async Task<string> InsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken);
        try
        {
            var response = await client.AddEntityAsync(ToEntity(partitionKey, rowKey, data), cancellationToken);
            return ETagOf(response);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            throw new ConcurrencyConflictException($"Row {table}/{partitionKey}/{rowKey} already exists.", e);
        }
    }

    public async Task<string> ReplaceAsync(string table, string partitionKey, string rowKey, string data, string etag, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken);
        try
        {
            var response = await client.UpdateEntityAsync(
                ToEntity(partitionKey, rowKey, data), new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            return ETagOf(response);
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            throw new ConcurrencyConflictException($"Row {table}/{partitionKey}/{rowKey} changed or is gone.", e);
        }
    }

    public async Task<string> UpsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken);
        var response = await client.UpsertEntityAsync(ToEntity(partitionKey, rowKey, data), TableUpdateMode.Replace, cancellationToken);
        return ETagOf(response);
    }

    public async Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? etag = null, CancellationToken cancellationToken = default)
    {
        var client = await TableAsync(table, cancellationToken);
        Response response;
        try
        {
            response = await client.DeleteEntityAsync(
                TableKeyEncoding.Encode(partitionKey), TableKeyEncoding.Encode(rowKey),
                etag is null ? ETag.All : new ETag(etag), cancellationToken);
        }
        catch (RequestFailedException e) when (etag is not null && e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            throw new ConcurrencyConflictException($"Row {table}/{partitionKey}/{rowKey} changed or is gone.", e);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return false;
        }

        // The client reports a missing row as a 404 response rather than an exception.
        if (response.Status == (int)HttpStatusCode.NotFound)
        {
            return etag is null
                ? false
                : throw new ConcurrencyConflictException($"Row {table}/{partitionKey}/{rowKey} is gone.");
        }

        return true;
    }

    public async Task<IReadOnlyList<TableRow>> QueryAsync(string table, string partitionKey, RowKeyRange range, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var client = await TableAsync(table, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeyEncoding.Encode(partitionKey)}");
        if (range.From is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {TableKeyEncoding.Encode(range.From)}");
        }

        if (range.To is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {TableKeyEncoding.Encode(range.To)}");
        }

        var rows = new List<TableRow>(Math.Min(limit, 1000));
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, Math.Min(limit, 1000), cancellationToken: cancellationToken))
        {
            rows.Add(ToRow(entity));
            if (rows.Count == limit)
            {
                break;
            }
        }

        return rows;
    }

    public async Task<IReadOnlyList<string?>> WriteBatchAsync(string table, string partitionKey, IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var client = await TableAsync(table, cancellationToken);
        var actions = writes.Select(write => write.Kind switch
        {
            RowWriteKind.Insert => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(partitionKey, write.RowKey, write.Data!)),
            RowWriteKind.Replace => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(partitionKey, write.RowKey, write.Data!), new ETag(write.ETag!)),
            RowWriteKind.Upsert => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(partitionKey, write.RowKey, write.Data!)),
            _ => new TableTransactionAction(TableTransactionActionType.Delete,
                new TableEntity(TableKeyEncoding.Encode(partitionKey), TableKeyEncoding.Encode(write.RowKey)), write.ETag is null ? ETag.All : new ETag(write.ETag)),
        }).ToList();
        try
        {
            var responses = (await client.SubmitTransactionAsync(actions, cancellationToken)).Value;
            return [.. writes.Select((write, i) => write.Kind == RowWriteKind.Delete ? null : responses[i].Headers.ETag?.ToString())];
        }
        catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            throw new ConcurrencyConflictException($"A write to {table}/{partitionKey} conflicts; the batch was not written.", e);
        }
    }

    private static TableEntity ToEntity(string partitionKey, string rowKey, string data)
    {
        var entity = new TableEntity(TableKeyEncoding.Encode(partitionKey), TableKeyEncoding.Encode(rowKey));
        var chunk = 0;
        for (var offset = 0; offset < data.Length || chunk == 0; offset += ChunkLength, chunk++)
        {
            entity[DataProperty + chunk.ToString(CultureInfo.InvariantCulture)] =
                data.Substring(offset, Math.Min(ChunkLength, data.Length - offset));
        }

        return entity;
    }

    private static TableRow ToRow(TableEntity entity)
    {
        var data = new StringBuilder();
        for (var chunk = 0; entity.GetString(DataProperty + chunk.ToString(CultureInfo.InvariantCulture)) is { } part; chunk++)
        {
            data.Append(part);
        }

        return new TableRow(
            TableKeyEncoding.Decode(entity.PartitionKey), TableKeyEncoding.Decode(entity.RowKey), data.ToString(), entity.ETag.ToString());
    }

    private static string ETagOf(Response response) =>
        response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table Storage returned no ETag.");

    private async ValueTask<TableClient> TableAsync(string table, CancellationToken cancellationToken)
    {
        await _initialization.EnsureAsync(cancellationToken);
        return Table(table);
    }

    private TableClient Table(string table) =>
        _tables.GetOrAdd(table, name => _service.GetTableClient(_tablePrefix + name));

    private async Task CreateTablesAsync(CancellationToken cancellationToken)
    {
        foreach (var table in StorageTables.All)
        {
            await Table(table).CreateIfNotExistsAsync(cancellationToken);
        }
    }
}
