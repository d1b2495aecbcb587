using System.Collections.Concurrent;
using FusionBot.Protocol.Models;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// PartitionKey tenant|user or tenant|channel (<see cref="UserPartition"/>, <see cref="ChannelPartition"/>). Every incoming message saves its reference, so a save first compares
/// with the stored one and skips the write when nothing changed (reads are cheaper than writes). What this
/// instance last read or wrote is remembered for a few minutes, so the messages of an ongoing chat skip the read too.
/// </summary>
public sealed class ConversationReferenceStore(ITableRowStore rows, TimeProvider time) : IConversationReferenceStore
{
    public static string UserPartition(string tenantId) => tenantId + "|user";

    public static string ChannelPartition(string tenantId) => tenantId + "|channel";

    // Short enough that a row changed elsewhere (another instance, an operator) is written again soon; long enough
    // to cover a dialog. Bounded so a burst of distinct senders cannot grow it without limit.
    private static readonly TimeSpan RecentlyStoredFor = TimeSpan.FromMinutes(5);
    private const int MaxRecentlyStored = 4096;

    private readonly ConcurrentDictionary<(string Partition, string Key), (string Data, long At)> _recentlyStored = new();

    public Task SaveForUserAsync(string tenantId, string? aadObjectId, string userId, ConversationReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return SaveAsync(UserPartition(tenantId), string.IsNullOrEmpty(aadObjectId) ? userId : aadObjectId, reference, cancellationToken);
    }

    public async Task<ConversationReference?> GetForUserAsync(string tenantId, string? aadObjectId, string? userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        foreach (var key in new[] { aadObjectId, userId })
        {
            if (!string.IsNullOrEmpty(key) && await GetAsync(UserPartition(tenantId), key, cancellationToken) is { } reference)
            {
                return reference;
            }
        }

        return null;
    }

    public Task SaveForChannelAsync(string tenantId, string channelId, ConversationReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentNullException.ThrowIfNull(reference);
        // Where a channel lives does not depend on who spoke last: keeping that person would be keeping data about them.
        return SaveAsync(ChannelPartition(tenantId), channelId, reference with { User = null }, cancellationToken);
    }

    public Task<ConversationReference?> GetForChannelAsync(string tenantId, string channelId, CancellationToken cancellationToken = default) =>
        GetAsync(ChannelPartition(tenantId), channelId, cancellationToken);

    private async Task SaveAsync(string partition, string key, ConversationReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var data = StorageJson.Serialize(reference);
        var now = time.GetTimestamp();
        if (_recentlyStored.TryGetValue((partition, key), out var known) && known.Data == data &&
            time.GetElapsedTime(known.At, now) < RecentlyStoredFor)
        {
            return;
        }

        var stored = await rows.GetAsync(StorageTables.ConversationReferences, partition, key, cancellationToken);
        if (stored?.Data != data)
        {
            await rows.UpsertAsync(StorageTables.ConversationReferences, partition, key, data, cancellationToken);
        }

        if (_recentlyStored.Count >= MaxRecentlyStored)
        {
            _recentlyStored.Clear();
        }

        _recentlyStored[(partition, key)] = (data, now);
    }

    private async Task<ConversationReference?> GetAsync(string partition, string key, CancellationToken cancellationToken)
    {
        var row = await rows.GetAsync(StorageTables.ConversationReferences, partition, key, cancellationToken);
        return row is null ? null : StorageJson.Deserialize<ConversationReference>(row.Data);
    }
}
