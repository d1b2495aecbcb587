using FusionBot.PowerPlatform;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;

namespace FusionBot.Features.Inventory;

/// <summary>
/// An environment as last synced, with its connectors' standing there; <see cref="Policies"/> empty = the configured
/// catalogue. <see cref="InForce"/> are those policies themselves, so intake can judge any connector there.
/// </summary>
public sealed record EnvironmentRecord(PlatformEnvironment Environment, IReadOnlyList<string> Policies, IReadOnlyList<EffectiveConnector> Connectors, DateTimeOffset SyncedAt)
{
    public IReadOnlyList<DlpPolicy> InForce { get; init; } = [];
}

/// <summary>A solution as last synced: its facts, why it is flagged (empty: it is not), and the request it is linked to.</summary>
public sealed record SolutionRecord(PlatformSolution Solution, IReadOnlyList<string> Flags, string? RequestId, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>A solution the sync found unregistered, by when it first saw it; <see cref="Registered"/> once a later sync found it linked.</summary>
public sealed record FoundSolution(string Key, DateTimeOffset FirstSeen, bool Registered);

/// <summary>The owner was asked about a solution (or could not be reached): once per solution, ever.</summary>
public sealed record OwnerAsk(DateTimeOffset At, bool Delivered, string? OwnerObjectId);

/// <summary>
/// The tenant's inventory as the last sync saw it. PartitionKey = tenant everywhere; <c>platformenvs</c> RowKey =
/// environment, <c>platformsolutions</c> and <c>platformasks</c> RowKey = kind|environment|id. Asks are separate rows
/// so that a sync rewriting the facts never races the handler recording that the owner was asked. <c>platformfound</c>
/// RowKey = first seen (ticks)|kind|environment|id: the solutions found unregistered, read by the week for the digest.
/// </summary>
public sealed class InventoryStore(ITableRowStore rows)
{
    public static string Key(SolutionKind kind, string environment, string id) =>
        $"{kind}|{environment.ToLowerInvariant()}|{id.ToLowerInvariant()}";

    public static string Key(PlatformSolution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        return Key(solution.Kind, solution.EnvironmentName, solution.Id);
    }

    public Task SaveEnvironmentAsync(string tenantId, EnvironmentRecord record, CancellationToken cancellationToken) =>
        rows.UpsertAsync(StorageTables.PlatformEnvironments, tenantId, record.Environment.Name.ToLowerInvariant(), StorageJson.Serialize(record), cancellationToken);

    public async Task<EnvironmentRecord?> GetEnvironmentAsync(string tenantId, string environment, CancellationToken cancellationToken) =>
        await rows.GetAsync(StorageTables.PlatformEnvironments, tenantId, environment.ToLowerInvariant(), cancellationToken) is { } row
            ? StorageJson.Deserialize<EnvironmentRecord>(row.Data)
            : null;

    /// <summary>The environments as last synced, the default one first.</summary>
    public async Task<IReadOnlyList<EnvironmentRecord>> EnvironmentsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var found = await rows.QueryAllAsync(StorageTables.PlatformEnvironments, tenantId, RowKeyRange.All, cancellationToken);
        return [.. found.Select(r => StorageJson.Deserialize<EnvironmentRecord>(r.Data))
            .OrderByDescending(e => e.Environment.IsDefault).ThenBy(e => e.Environment.DisplayName, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<SolutionRecord?> GetSolutionAsync(string tenantId, string key, CancellationToken cancellationToken) =>
        await rows.GetAsync(StorageTables.PlatformSolutions, tenantId, key, cancellationToken) is { } row ? StorageJson.Deserialize<SolutionRecord>(row.Data) : null;

    public Task SaveSolutionAsync(string tenantId, SolutionRecord record, CancellationToken cancellationToken) =>
        rows.UpsertAsync(StorageTables.PlatformSolutions, tenantId, Key(record.Solution), StorageJson.Serialize(record), cancellationToken);

    /// <summary>Every solution of the tenant as last synced (read by the CoE's listing, not on a hot path).</summary>
    public async Task<IReadOnlyList<SolutionRecord>> SolutionsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var found = await rows.QueryAllAsync(StorageTables.PlatformSolutions, tenantId, RowKeyRange.All, cancellationToken);
        return [.. found.Select(r => StorageJson.Deserialize<SolutionRecord>(r.Data))];
    }

    public Task SaveFoundAsync(string tenantId, FoundSolution found, CancellationToken cancellationToken) =>
        rows.UpsertAsync(StorageTables.PlatformFound, tenantId, FoundKey(found.FirstSeen, found.Key), StorageJson.Serialize(found), cancellationToken);

    /// <summary>The solutions first found unregistered from <paramref name="from"/> (inclusive) to <paramref name="to"/>: one range of row keys.</summary>
    public async Task<IReadOnlyList<FoundSolution>> FoundAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var found = await rows.QueryAllAsync(StorageTables.PlatformFound, tenantId, new RowKeyRange(RequestIndex.Ticks(from), RequestIndex.Ticks(to)), cancellationToken);
        return [.. found.Select(r => StorageJson.Deserialize<FoundSolution>(r.Data))];
    }

    private static string FoundKey(DateTimeOffset firstSeen, string key) => $"{RequestIndex.Ticks(firstSeen)}|{key}";

    public async Task<OwnerAsk?> GetAskAsync(string tenantId, string key, CancellationToken cancellationToken) =>
        await rows.GetAsync(StorageTables.PlatformAsks, tenantId, key, cancellationToken) is { } row ? StorageJson.Deserialize<OwnerAsk>(row.Data) : null;

    public Task SaveAskAsync(string tenantId, string key, OwnerAsk ask, CancellationToken cancellationToken) =>
        rows.UpsertAsync(StorageTables.PlatformAsks, tenantId, key, StorageJson.Serialize(ask), cancellationToken);

    public async Task<IReadOnlyDictionary<string, OwnerAsk>> AsksAsync(string tenantId, CancellationToken cancellationToken)
    {
        var found = await rows.QueryAllAsync(StorageTables.PlatformAsks, tenantId, RowKeyRange.All, cancellationToken);
        return found.ToDictionary(r => r.RowKey, r => StorageJson.Deserialize<OwnerAsk>(r.Data), StringComparer.Ordinal);
    }
}
