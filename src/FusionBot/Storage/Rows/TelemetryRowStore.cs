using System.Diagnostics;
using FusionBot.Hosting;

namespace FusionBot.Storage.Rows;

/// <summary>
/// A span per storage call (operation and logical table; keys are ids and never recorded) and an error count for
/// failures other than ETag conflicts, which are the store's normal answer to a concurrent writer.
/// </summary>
public sealed class TelemetryRowStore(ITableRowStore inner, string system) : ITableRowStore, IDisposable
{
    public string Description => inner.Description;

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        TraceAsync("initialize", null, () => inner.InitializeAsync(cancellationToken));

    public Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default) =>
        TraceAsync("get", table, () => inner.GetAsync(table, partitionKey, rowKey, cancellationToken));

    public Task<string> InsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default) =>
        TraceAsync("insert", table, () => inner.InsertAsync(table, partitionKey, rowKey, data, cancellationToken));

    public Task<string> ReplaceAsync(string table, string partitionKey, string rowKey, string data, string etag, CancellationToken cancellationToken = default) =>
        TraceAsync("replace", table, () => inner.ReplaceAsync(table, partitionKey, rowKey, data, etag, cancellationToken));

    public Task<string> UpsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default) =>
        TraceAsync("upsert", table, () => inner.UpsertAsync(table, partitionKey, rowKey, data, cancellationToken));

    public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? etag = null, CancellationToken cancellationToken = default) =>
        TraceAsync("delete", table, () => inner.DeleteAsync(table, partitionKey, rowKey, etag, cancellationToken));

    public Task<IReadOnlyList<TableRow>> QueryAsync(string table, string partitionKey, RowKeyRange range, int limit, CancellationToken cancellationToken = default) =>
        TraceAsync("query", table, () => inner.QueryAsync(table, partitionKey, range, limit, cancellationToken));

    public Task<IReadOnlyList<string?>> WriteBatchAsync(string table, string partitionKey, IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken = default) =>
        TraceAsync("batch", table, () => inner.WriteBatchAsync(table, partitionKey, writes, cancellationToken));

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private async Task TraceAsync(string operation, string? table, Func<Task> call) =>
        await TraceAsync(operation, table, async () =>
        {
            await call();
            return true;
        });

    private async Task<T> TraceAsync<T>(string operation, string? table, Func<Task<T>> call)
    {
        using var span = FusionBotTelemetry.Source.StartActivity(table is null ? $"storage {operation}" : $"storage {operation} {table}", ActivityKind.Client);
        span?.SetTag("db.system.name", system);
        span?.SetTag("db.operation.name", operation);
        span?.SetTag("db.collection.name", table);
        try
        {
            return await call();
        }
        catch (ConcurrencyConflictException)
        {
            span?.SetTag("fusionbot.outcome", "conflict");
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            FusionBotTelemetry.Failed("storage", exception);
            span?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            span?.SetTag("error.type", exception.GetType().Name);
            throw;
        }
    }
}
