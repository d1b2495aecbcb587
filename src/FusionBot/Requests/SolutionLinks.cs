using FusionBot.Features.Access;
using FusionBot.Storage;
using FusionBot.Storage.Rows;

namespace FusionBot.Requests;

/// <summary>What became of a <see cref="SolutionLinks.LinkAsync"/>; <see cref="OtherRequestId"/> when the solution stands for another request.</summary>
public sealed record LinkOutcome(LinkResult Result, string? OtherRequestId = null);

public enum LinkResult
{
    Linked,
    AlreadyLinked,
    LinkedToAnotherRequest,
    RequestNotFound,
    NotAllowed,
}

/// <summary>
/// Which solutions in the tenant each request stands for, and the way back: a solution found in the inventory leads to
/// its request by one point read. Rows: <c>solutionlinks</c> PartitionKey = tenant, RowKey = request|kind|environment|id;
/// <c>solutionindex</c> PartitionKey = tenant, RowKey = kind|environment|id → request id. A solution stands for one
/// request; the index row is written first (insert-if-absent), so two requests racing for it cannot both win, and a
/// retried link finds its own row and completes the rest.
/// </summary>
public sealed class SolutionLinks(ITableRowStore rows, IRequestStore requests, RequestWorkflow workflow, AccessPolicy access, TimeProvider time)
{
    /// <summary>
    /// Links <paramref name="requestId"/> to <paramref name="link"/> and records it on the request's history. Only the
    /// request's maker, a CoE admin or FusionBot itself (<see cref="RequestActors.FusionBot"/>) may.
    /// </summary>
    public async Task<LinkOutcome> LinkAsync(string tenantId, string requestId, SolutionLink link, Person actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(actor);
        var request = await requests.GetAsync(tenantId, requestId, cancellationToken);
        if (request is null)
        {
            return new LinkOutcome(LinkResult.RequestNotFound);
        }

        if (request.Maker.Id != actor.Id && actor != RequestActors.FusionBot && !await access.IsAdminAsync(actor, tenantId, cancellationToken))
        {
            return new LinkOutcome(LinkResult.NotAllowed);
        }

        var key = Key(link.Kind, link.EnvironmentId, link.ResourceId);
        try
        {
            await rows.InsertAsync(StorageTables.SolutionIndex, tenantId, key, StorageJson.Serialize(new IndexRow(request.Id)), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            var owner = await IndexedRequestAsync(tenantId, key, cancellationToken);
            if (owner is not null && owner != request.Id)
            {
                return new LinkOutcome(LinkResult.LinkedToAnotherRequest, owner);
            }
        }

        // The first link's time and actor stay: the history event is keyed by them, so a retry records it once.
        var (stored, already) = await LinkRowAsync(tenantId, request.Id + "|" + key, new LinkRow(link, time.GetUtcNow(), actor), cancellationToken);
        await workflow.RecordAsync(tenantId, new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = stored.LinkedAt,
            Action = RequestActions.SolutionLinked,
            Actor = stored.LinkedBy,
            StatusAfter = request.Status,
            TierAfter = request.Tier,
            Comment = Describe(stored.Link),
        }, "link-" + key, cancellationToken);
        return new LinkOutcome(already ? LinkResult.AlreadyLinked : LinkResult.Linked);
    }

    /// <summary>The solutions <paramref name="requestId"/> is linked to, in key order.</summary>
    public async Task<IReadOnlyList<SolutionLink>> ForRequestAsync(string tenantId, string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        var found = await rows.QueryAllAsync(StorageTables.SolutionLinks, tenantId, RowKeyRange.Prefix(requestId + "|"), cancellationToken);
        return [.. found.Select(r => StorageJson.Deserialize<LinkRow>(r.Data).Link)];
    }

    /// <summary>
    /// The request linked to this solution: first as linked in <paramref name="environmentId"/>, then as linked with
    /// no environment named ("any environment"). Null when none.
    /// </summary>
    public async Task<string?> FindRequestAsync(string tenantId, SolutionKind kind, string environmentId, string resourceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        return await IndexedRequestAsync(tenantId, Key(kind, environmentId ?? "", resourceId), cancellationToken)
            ?? (string.IsNullOrEmpty(environmentId) ? null : await IndexedRequestAsync(tenantId, Key(kind, "", resourceId), cancellationToken));
    }

    /// <summary>How a link reads on a card or in the history: "App 'Expenses' (environment Default-…)".</summary>
    public static string Describe(SolutionLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var name = link.DisplayName == link.ResourceId ? link.ResourceId : $"'{link.DisplayName}' ({link.ResourceId})";
        var where = string.IsNullOrEmpty(link.EnvironmentId) ? "any environment" : $"environment {link.EnvironmentId}";
        return $"{link.Kind} {name} in {where}";
    }

    private async Task<(LinkRow Row, bool Existed)> LinkRowAsync(string tenantId, string rowKey, LinkRow row, CancellationToken cancellationToken)
    {
        if (await rows.GetAsync(StorageTables.SolutionLinks, tenantId, rowKey, cancellationToken) is { } existing)
        {
            return (StorageJson.Deserialize<LinkRow>(existing.Data), true);
        }

        try
        {
            await rows.InsertAsync(StorageTables.SolutionLinks, tenantId, rowKey, StorageJson.Serialize(row), cancellationToken);
            return (row, false);
        }
        catch (ConcurrencyConflictException)
        {
            var winner = await rows.GetAsync(StorageTables.SolutionLinks, tenantId, rowKey, cancellationToken);
            return (winner is null ? row : StorageJson.Deserialize<LinkRow>(winner.Data), true);
        }
    }

    private async Task<string?> IndexedRequestAsync(string tenantId, string key, CancellationToken cancellationToken) =>
        await rows.GetAsync(StorageTables.SolutionIndex, tenantId, key, cancellationToken) is { } row
            ? StorageJson.Deserialize<IndexRow>(row.Data).RequestId
            : null;

    // Platform ids are GUIDs and environment names whose case varies between the portal and the APIs.
    private static string Key(SolutionKind kind, string environmentId, string resourceId) =>
        $"{kind}|{environmentId.Trim().ToLowerInvariant()}|{resourceId.Trim().ToLowerInvariant()}";

    private sealed record IndexRow(string RequestId);

    internal sealed record LinkRow(SolutionLink Link, DateTimeOffset LinkedAt, Person LinkedBy);
}
