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
/// </summary>
public sealed class DeploymentGates(ITableRowStore rows)
{
    public async Task<PendingPromotion?> GetAsync(string tenantId, string stageRunId, GateStep step, CancellationToken cancellationToken)
    {
        var row = await rows.GetAsync(StorageTables.DeploymentGates, tenantId, PipelineWork.Key(stageRunId, step), cancellationToken);
        return row is null ? null : StorageJson.Deserialize<PendingPromotion>(row.Data) with { ETag = row.ETag };
    }

    /// <summary>Stores the question once: asking again for the same stage run (a retried gate) keeps the first.</summary>
    public async Task AskAsync(PendingPromotion promotion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(promotion);
        try
        {
            await rows.InsertAsync(StorageTables.DeploymentGates, promotion.TenantId, PipelineWork.Key(promotion.StageRunId, promotion.Step),
                StorageJson.Serialize(promotion), cancellationToken);
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
        var etag = await rows.ReplaceAsync(StorageTables.DeploymentGates, decided.TenantId, PipelineWork.Key(decided.StageRunId, decided.Step),
            StorageJson.Serialize(decided), decided.ETag ?? throw new ArgumentException("Read the row before deciding it.", nameof(decided)), cancellationToken);
        return decided with { ETag = etag };
    }
}
