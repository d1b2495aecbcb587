using System.Text.Json;
using FusionBot.Features.Outbox;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Backlog;

/// <summary>The outbox kinds of the shared backlog.</summary>
public static class BacklogWork
{
    public const string Create = "backlog-create";
    public const string Follow = "backlog-follow";
}

/// <summary>
/// Which request a backlog item belongs to, for the service hook: PartitionKey = tenant, RowKey = provider|item id →
/// request id. Written before the item is stored on the request, so a hook for an item always finds its request.
/// </summary>
public sealed class BacklogIndex(ITableRowStore rows) : IRequestRecords
{
    /// <summary>A purged request's item no longer leads to it (the work item itself stays in the backlog).</summary>
    public Task ForgetAsync(GovernanceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.BacklogItem is { } item
            ? rows.DeleteAsync(StorageTables.BacklogItems, request.TenantId, Key(item.Provider, item.Id), cancellationToken: cancellationToken)
            : Task.CompletedTask;
    }

    public Task PutAsync(string tenantId, BacklogItem item, string requestId, CancellationToken cancellationToken) =>
        rows.UpsertAsync(StorageTables.BacklogItems, tenantId, Key(item.Provider, item.Id), StorageJson.Serialize(new Row(requestId)), cancellationToken);

    public async Task<string?> RequestOfAsync(string tenantId, string provider, string itemId, CancellationToken cancellationToken) =>
        await rows.GetAsync(StorageTables.BacklogItems, tenantId, Key(provider, itemId), cancellationToken) is { } row
            ? StorageJson.Deserialize<Row>(row.Data).RequestId
            : null;

    private static string Key(string provider, string itemId) => $"{provider}|{itemId}";

    private sealed record Row(string RequestId);
}

/// <summary>
/// What every transition means for the backlog: a Tier 3/4 request approved or taken over gets its item (one outbox
/// item per request, ever); a request with an item moves it whenever its status changes.
/// </summary>
public sealed class BacklogFollowUps(IOptions<BacklogOptions> options, TimeProvider time) : IRequestFollowUps
{
    public IEnumerable<DueWorkItem> After(GovernanceRequest before, GovernanceRequest after, string key)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var o = options.Value;
        if (!o.IsConfigured || !string.Equals(after.TenantId, o.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }

        if (after.BacklogItem is null && after.Tier is 3 or 4 && after.Status is RequestStatus.Approved or RequestStatus.InDevelopment)
        {
            yield return Item(BacklogWork.Create, $"{after.TenantId}:{after.Id}", after);
        }
        else if (after.BacklogItem is not null && before.Status != after.Status)
        {
            yield return Item(BacklogWork.Follow, $"{after.Id}:{key}", after);
        }
    }

    private DueWorkItem Item(string kind, string key, GovernanceRequest request) => new()
    {
        Id = $"{kind}:{key}",
        Kind = kind,
        DueAt = time.GetUtcNow(),
        Payload = JsonSerializer.Serialize(new ReviewRequestRef(request.TenantId, request.Id), WorkOutbox.PayloadJson),
    };
}

/// <summary>
/// Creates the request's work item (or finds the one an earlier attempt created), indexes it, stores it on the request,
/// records it on the history, brings the item to the request's current state and re-renders the review card with
/// its link. Payload: <see cref="ReviewRequestRef"/>.
/// </summary>
public sealed class BacklogItemCreate(
    IRequestStore requests, IBacklog backlog, BacklogIndex index, RequestWorkflow workflow, WorkOutbox outbox, TimeProvider time,
    NotificationFailures failures, ILogger<BacklogItemCreate> logger)
    : RequestOutboxHandler<ReviewRequestRef>(BacklogWork.Create, requests, failures, logger)
{
    private const int MaxAttempts = 5;

    protected override bool IsWanted(GovernanceRequest request, ReviewRequestRef payload) => request.BacklogItem is null && request.Tier is 3 or 4;

    protected override string Describe(ReviewRequestRef payload) => "Work item in the shared backlog";

    protected override async Task HandleAsync(GovernanceRequest request, ReviewRequestRef payload, CancellationToken cancellationToken)
    {
        var item = await backlog.EnsureItemAsync(request, cancellationToken);
        await index.PutAsync(request.TenantId, item, request.Id, cancellationToken);
        for (var attempt = 1; request.BacklogItem is null; attempt++)
        {
            try
            {
                request = await Requests.UpdateAsync(request with { BacklogItem = item }, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                request = await Requests.GetAsync(request.TenantId, request.Id, cancellationToken) ?? throw new InvalidOperationException($"{request.Id} is gone.");
            }
        }

        await workflow.RecordAsync(new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = time.GetUtcNow(),
            Action = RequestActions.BacklogItemCreated,
            Actor = RequestActors.FusionBot,
            StatusAfter = request.Status,
            TierAfter = request.Tier,
            Comment = $"{item.Provider} #{item.Id}: {item.Url}",
        }, "backlog-created", cancellationToken);
        await backlog.FollowAsync(request.BacklogItem!, request.Status, cancellationToken);
        if (request.ReviewCard is not null)
        {
            await outbox.EnqueueAsync($"{RequestWorkKinds.UpdateCard}:{request.Id}:backlog", RequestWorkKinds.UpdateCard,
                new ReviewRequestRef(request.TenantId, request.Id), cancellationToken: cancellationToken);
        }
    }
}

/// <summary>Moves the request's work item to the state of the request's status as it is now (so order and repeats do not matter).</summary>
public sealed class BacklogItemFollow(IRequestStore requests, IBacklog backlog, NotificationFailures failures, ILogger<BacklogItemFollow> logger)
    : RequestOutboxHandler<ReviewRequestRef>(BacklogWork.Follow, requests, failures, logger)
{
    protected override bool IsWanted(GovernanceRequest request, ReviewRequestRef payload) => request.BacklogItem is not null;

    protected override string Describe(ReviewRequestRef payload) => "Work item state in the shared backlog";

    protected override Task HandleAsync(GovernanceRequest request, ReviewRequestRef payload, CancellationToken cancellationToken) =>
        backlog.FollowAsync(request.BacklogItem!, request.Status, cancellationToken);
}
