using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

public sealed class GuidelineAcknowledgementStore(ITableRowStore rows) : IGuidelineAcknowledgementStore
{
    public async Task<GuidelineAcknowledgement?> GetAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        var row = await rows.GetAsync(StorageTables.GuidelineAcknowledgements, tenantId, userId, cancellationToken);
        return row is null ? null : StorageJson.Deserialize<GuidelineAcknowledgement>(row.Data);
    }

    public async Task RecordAsync(string tenantId, GuidelineAcknowledgement acknowledgement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(acknowledgement);
        try
        {
            await rows.InsertAsync(StorageTables.GuidelineAcknowledgements, tenantId, acknowledgement.User.Id, StorageJson.Serialize(acknowledgement), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Already acknowledged: the first time is the one that counts.
        }
    }
}
