using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.Protocol.Models;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// PartitionKey tenant|user or tenant|channel (<see cref="UserPartition"/>, <see cref="ChannelPartition"/>). Every incoming message saves its reference, so a save first compares
/// with the stored one and skips the write when nothing changed (reads are cheaper than writes). What this
/// instance last read or wrote is remembered for a few minutes, so the messages of an ongoing chat skip the read too.
/// A user's row also keeps the time zone their Teams client last reported, for times in plain-text messages to them.
/// </summary>
public sealed class ConversationReferenceStore(ITableRowStore rows, TimeProvider time) : IConversationReferenceStore
{
    public static string UserPartition(string tenantId) => tenantId + "|user";

    public static string ChannelPartition(string tenantId) => tenantId + "|channel";

    // Short enough that a row changed elsewhere (another instance, an operator) is written again soon; long enough
    // to cover a dialog. Bounded so a burst of distinct senders cannot grow it without limit.
    private static readonly TimeSpan RecentlyStoredFor = TimeSpan.FromMinutes(5);
    private const int MaxRecentlyStored = 4096;

    private readonly ConcurrentDictionary<(string Partition, string Key), (string Data, string? TimeZone, long At)> _recentlyStored = new();

    public Task SaveForUserAsync(string tenantId, string? aadObjectId, string userId, ConversationReference reference, CancellationToken cancellationToken = default) =>
        SaveForUserAsync(tenantId, aadObjectId, userId, reference, timeZone: null, cancellationToken);

    public Task SaveForUserAsync(string tenantId, string? aadObjectId, string userId, ConversationReference reference, string? timeZone,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return SaveAsync(UserPartition(tenantId), string.IsNullOrEmpty(aadObjectId) ? userId : aadObjectId, reference, timeZone, cancellationToken);
    }

    public async Task<ConversationReference?> GetForUserAsync(string tenantId, string? aadObjectId, string? userId, CancellationToken cancellationToken = default) =>
        await GetUserRowAsync(tenantId, aadObjectId, userId, cancellationToken) is { } row ? StorageJson.Deserialize<ConversationReference>(row.Data) : null;

    public async Task<string?> GetTimeZoneForUserAsync(string tenantId, string? aadObjectId, string? userId, CancellationToken cancellationToken = default) =>
        await GetUserRowAsync(tenantId, aadObjectId, userId, cancellationToken) is { } row ? TimeZoneOf(row.Data) : null;

    private async Task<TableRow?> GetUserRowAsync(string tenantId, string? aadObjectId, string? userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        foreach (var key in new[] { aadObjectId, userId })
        {
            if (!string.IsNullOrEmpty(key) && await rows.GetAsync(StorageTables.ConversationReferences, UserPartition(tenantId), key, cancellationToken) is { } row)
            {
                return row;
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
        return SaveAsync(ChannelPartition(tenantId), channelId, reference with { User = null }, timeZone: null, cancellationToken);
    }

    public Task<ConversationReference?> GetForChannelAsync(string tenantId, string channelId, CancellationToken cancellationToken = default) =>
        GetAsync(ChannelPartition(tenantId), channelId, cancellationToken);

    /// <param name="timeZone">Stored beside the reference's fields (readers of the reference skip it); null keeps the stored one.</param>
    private async Task SaveAsync(string partition, string key, ConversationReference reference, string? timeZone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var now = time.GetTimestamp();
        if (_recentlyStored.TryGetValue((partition, key), out var known) && time.GetElapsedTime(known.At, now) < RecentlyStoredFor
            && known.Data == Data(reference, timeZone ?? known.TimeZone))
        {
            return;
        }

        var stored = await rows.GetAsync(StorageTables.ConversationReferences, partition, key, cancellationToken);
        var zone = timeZone ?? (stored is null ? null : TimeZoneOf(stored.Data));
        var data = Data(reference, zone);
        if (stored?.Data != data)
        {
            await rows.UpsertAsync(StorageTables.ConversationReferences, partition, key, data, cancellationToken);
        }

        if (_recentlyStored.Count >= MaxRecentlyStored)
        {
            _recentlyStored.Clear();
        }

        _recentlyStored[(partition, key)] = (data, zone, now);
    }

    private const string TimeZoneField = "timeZone";

    private static string Data(ConversationReference reference, string? timeZone)
    {
        if (timeZone is null)
        {
            return StorageJson.Serialize(reference);
        }

        var json = JsonSerializer.SerializeToNode(reference, StorageJson.Options)!.AsObject();
        json[TimeZoneField] = timeZone;
        return json.ToJsonString(StorageJson.Options);
    }

    private static string? TimeZoneOf(string data) =>
        JsonNode.Parse(data) is JsonObject json && json[TimeZoneField] is JsonValue value && value.TryGetValue<string>(out var zone) ? zone : null;

    private async Task<ConversationReference?> GetAsync(string partition, string key, CancellationToken cancellationToken)
    {
        var row = await rows.GetAsync(StorageTables.ConversationReferences, partition, key, cancellationToken);
        return row is null ? null : StorageJson.Deserialize<ConversationReference>(row.Data);
    }
}
