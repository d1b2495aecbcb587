using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

public sealed class DialogStateStore(ITableRowStore rows) : IDialogStateStore
{
    private const string StateRow = "state";

    public async Task<StoredState<T>?> GetAsync<T>(string conversationId, CancellationToken cancellationToken = default)
    {
        var row = await rows.GetAsync(StorageTables.DialogState, conversationId, StateRow, cancellationToken);
        return row is null ? null : new StoredState<T>(StorageJson.Deserialize<T>(row.Data), row.ETag);
    }

    public Task<string> SaveAsync<T>(string conversationId, T state, string? etag, CancellationToken cancellationToken = default)
    {
        var data = StorageJson.Serialize(state);
        return etag is null
            ? rows.InsertAsync(StorageTables.DialogState, conversationId, StateRow, data, cancellationToken)
            : rows.ReplaceAsync(StorageTables.DialogState, conversationId, StateRow, data, etag, cancellationToken);
    }

    public Task<bool> DeleteAsync(string conversationId, string? etag = null, CancellationToken cancellationToken = default) =>
        rows.DeleteAsync(StorageTables.DialogState, conversationId, StateRow, etag, cancellationToken);
}
