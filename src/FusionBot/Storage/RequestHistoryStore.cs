using System.Globalization;
using FusionBot.Requests;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

public sealed class RequestHistoryStore(ITableRowStore rows) : IRequestHistoryStore
{
    public Task AppendAsync(RequestHistoryEvent historyEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        // Insert, never upsert: a fresh suffix per event so two events in the same tick both stay.
        var rowKey = historyEvent.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" +
            Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        return rows.InsertAsync(StorageTables.RequestHistory, historyEvent.RequestId, rowKey, StorageJson.Serialize(historyEvent), cancellationToken);
    }

    public async Task<IReadOnlyList<RequestHistoryEvent>> ListAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var events = await rows.QueryAllAsync(StorageTables.RequestHistory, requestId, RowKeyRange.All, cancellationToken);
        return [.. events.Select(row => StorageJson.Deserialize<RequestHistoryEvent>(row.Data))];
    }
}
