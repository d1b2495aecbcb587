using System.Text.Json.Serialization;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;

namespace FusionBot.Features.Pipelines;

/// <summary>A deployment waiting for a reviewer's "Promote to production?", and what became of it.</summary>
public sealed record PendingPromotion
{
    public required string TenantId { get; init; }
    public required string StageRunId { get; init; }
    public GateStep Step { get; init; }
    public required string RequestId { get; init; }
    public required string SolutionName { get; init; }
    public required string EnvironmentName { get; init; }
    public required DateTimeOffset AskedAt { get; init; }

    /// <summary>Null while waiting; true promoted, false declined.</summary>
    public bool? Promoted { get; init; }

    public Person? DecidedBy { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Decided by FusionBot because no reviewer did within <c>Pipelines:PromotionTimeout</c>.</summary>
    public bool TimedOut { get; init; }

    /// <summary>The card's reply in the review thread, once posted: what a timeout updates in place.</summary>
    public string? CardActivityId { get; init; }

    [JsonIgnore]
    public string? ETag { get; init; }
}

/// <summary>
/// PartitionKey = tenant, RowKey = the gated step of a stage run: one row per deployment that asked a reviewer. The decision is an
/// ETag-guarded write, so of two reviewers clicking at once exactly one decides, and the pipeline gets one answer.
/// Two index partitions beside them list the gates of a request (<see cref="RequestPartition"/>, written before the
/// question) and the gates a person decided (<see cref="PersonPartition"/>, written before the decision), so a purge
/// and an erasure find them by key. An entry whose write never followed points at a row that is not theirs: readers check.
/// </summary>
public sealed class DeploymentGates(ITableRowStore rows) : IRequestRecords
{
    public static string RequestPartition(string tenantId, string requestId) => $"{tenantId}|request|{requestId}";

    /// <summary>The index of the gates decided by the person whose <see cref="PersonRequestIndex.KeyOf"/> (or Teams id) is <paramref name="personKey"/>.</summary>
    public static string PersonPartition(string tenantId, string personKey) => $"{tenantId}|person|{personKey}";

    public async Task<PendingPromotion?> GetAsync(string tenantId, string stageRunId, GateStep step, CancellationToken cancellationToken)
    {
        var row = await rows.GetAsync(StorageTables.DeploymentGates, tenantId, PipelineWork.Key(stageRunId, step), cancellationToken);
        return row is null ? null : StorageJson.Deserialize<PendingPromotion>(row.Data) with { ETag = row.ETag };
    }

    /// <summary>Stores the question once: asking again for the same stage run (a retried gate) keeps the first.</summary>
    public async Task AskAsync(PendingPromotion promotion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(promotion);
        var key = PipelineWork.Key(promotion.StageRunId, promotion.Step);
        await rows.UpsertAsync(StorageTables.DeploymentGates, RequestPartition(promotion.TenantId, promotion.RequestId), key, "{}", cancellationToken);
        try
        {
            await rows.InsertAsync(StorageTables.DeploymentGates, promotion.TenantId, key, StorageJson.Serialize(promotion), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Already asked: the first question stands, with whatever was decided on it.
        }
    }

    /// <summary>Notes the posted card's activity id on the row, whatever was decided meanwhile; returns the row as written.</summary>
    public async Task<PendingPromotion?> CardPostedAsync(string tenantId, string stageRunId, GateStep step, string activityId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await GetAsync(tenantId, stageRunId, step, cancellationToken) is not { } promotion)
            {
                return null;
            }

            try
            {
                var noted = promotion with { CardActivityId = activityId };
                var etag = await rows.ReplaceAsync(StorageTables.DeploymentGates, tenantId, PipelineWork.Key(stageRunId, step),
                    StorageJson.Serialize(noted), promotion.ETag!, cancellationToken);
                return noted with { ETag = etag };
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
                // A reviewer decided between the read and the write: note it on the decided row.
            }
        }
    }

    /// <summary>Records the decision on the row as read; <see cref="ConcurrencyConflictException"/> when someone decided first.</summary>
    public async Task<PendingPromotion> DecideAsync(PendingPromotion decided, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decided);
        var key = PipelineWork.Key(decided.StageRunId, decided.Step);
        if (decided.DecidedBy is { } person)
        {
            await rows.UpsertAsync(StorageTables.DeploymentGates, PersonPartition(decided.TenantId, PersonRequestIndex.KeyOf(person)), key, "{}", cancellationToken);
        }

        var etag = await rows.ReplaceAsync(StorageTables.DeploymentGates, decided.TenantId, key,
            StorageJson.Serialize(decided), decided.ETag ?? throw new ArgumentException("Read the row before deciding it.", nameof(decided)), cancellationToken);
        return decided with { ETag = etag };
    }

    /// <summary>A purged request's gates, their entries in the deciders' index and its own index.</summary>
    public async Task ForgetAsync(GovernanceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenant = request.TenantId;
        var index = RequestPartition(tenant, request.Id);
        foreach (var entry in await rows.QueryAllAsync(StorageTables.DeploymentGates, index, RowKeyRange.All, cancellationToken))
        {
            if (await rows.GetAsync(StorageTables.DeploymentGates, tenant, entry.RowKey, cancellationToken) is { } row
                && StorageJson.Deserialize<PendingPromotion>(row.Data) is { } gate && gate.RequestId == request.Id)
            {
                if (gate.DecidedBy is { } person)
                {
                    await rows.DeleteAsync(StorageTables.DeploymentGates, PersonPartition(tenant, PersonRequestIndex.KeyOf(person)), entry.RowKey, cancellationToken: cancellationToken);
                }

                await rows.DeleteAsync(StorageTables.DeploymentGates, tenant, entry.RowKey, row.ETag, cancellationToken);
            }

            await rows.DeleteAsync(StorageTables.DeploymentGates, index, entry.RowKey, cancellationToken: cancellationToken);
        }
    }
}
