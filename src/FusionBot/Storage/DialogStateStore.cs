using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// PartitionKey = the key (a dialog's is tenant|conversation), RowKey "state". Dialogs are noted in
/// <see cref="WrittenRowIndex"/> on every save, so one left unfinished is deleted by the retention run once nobody
/// saved it for <c>Retention:DialogStates</c>; other records kept here (the digest archive's "digest…" keys, which hold
/// no '|') are not dialogs and do not expire.
/// </summary>
public sealed class DialogStateStore(ITableRowStore rows, WrittenRowIndex written, TimeProvider time) : IDialogStateStore
{
    private const string StateRow = "state";

    public async Task<StoredState<T>?> GetAsync<T>(string conversationId, CancellationToken cancellationToken = default)
    {
        var row = await rows.GetAsync(StorageTables.DialogState, conversationId, StateRow, cancellationToken);
        return row is null ? null : new StoredState<T>(StorageJson.Deserialize<T>(row.Data), row.ETag);
    }

    public async Task<string> SaveAsync<T>(string conversationId, T state, string? etag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        var data = StorageJson.Serialize(state);
        var saved = etag is null
            ? await rows.InsertAsync(StorageTables.DialogState, conversationId, StateRow, data, cancellationToken)
            : await rows.ReplaceAsync(StorageTables.DialogState, conversationId, StateRow, data, etag, cancellationToken);
        if (conversationId.Contains('|', StringComparison.Ordinal))
        {
            await written.NoteAsync(StorageTables.DialogState, conversationId, StateRow, saved, time.GetUtcNow(), NoteKey(conversationId), cancellationToken);
        }

        return saved;
    }

    /// <summary>The key of a dialog's notes; its conversation key as prefix finds them for an erasure.</summary>
    public static string NoteKey(string conversationId) => conversationId + "|" + StateRow;

    /// <summary>Deletes dialogs nobody saved since before <paramref name="before"/>; see <see cref="WrittenRowIndex.PurgeAsync"/>.</summary>
    public Task<int> PurgeAbandonedAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default) =>
        written.PurgeAsync(StorageTables.DialogState, before, max, cancellationToken);

    public Task<bool> DeleteAsync(string conversationId, string? etag = null, CancellationToken cancellationToken = default) =>
        rows.DeleteAsync(StorageTables.DialogState, conversationId, StateRow, etag, cancellationToken);
}
