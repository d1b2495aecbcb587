using System.Globalization;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;

namespace FusionBot.Bench;

/// <summary>
/// Seeds one tenant the way years of use leave it, in the app's row shape: requests created over two years, about 70 %
/// decided, three to five history events each, each request row with the milestones the request workflow keeps on it
/// and the index rows the request store writes for it (<see cref="RequestIndex"/>, in their tables), the tenant's totals
/// in one row, and the history in its own table. Or as an earlier version left it (<see cref="SeedLayout"/>), for the
/// one-time back-fill. Written in batches (100 rows of one table's partition, or one request's history, per
/// transaction) so 50,000 requests load in minutes on azurite. Deterministic: the same count gives the same data, so
/// runs and stores compare.
/// </summary>
internal sealed class PortfolioSeeder(ITableRowStore rows)
{
    private const int InFlight = 8;
    private const int Chunk = 1000;
    private const int BatchSize = 100;

    // A day's bucket row at 50k requests is tens of KB; a transaction's body holds at most 4 MiB.
    private const int BucketBatchSize = 20;

    public async Task SeedAsync(string tenantId, int count, DateTimeOffset now, SeedLayout layout = SeedLayout.Current)
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        // Rows kept in buckets span the chunks (the days are random): gathered here, written at the end.
        var buckets = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        for (var first = 0; first < count; first += Chunk)
        {
            var tableRows = new List<(string Table, RowWrite Write)>();
            var histories = new List<(string RequestId, List<RequestHistoryEvent> Events)>();
            foreach (var n in Enumerable.Range(first, Math.Min(Chunk, count - first)))
            {
                var shape = Shape(n, now);
                var request = Request(tenantId, n, shape) with { Id = RequestStore.FormatId(n + 1) };
                var events = Events(request, shape).Select((e, i) => e with { Id = string.Create(CultureInfo.InvariantCulture, $"seed-{i}") }).ToList();
                histories.Add((request.Id, events));
                if (layout == SeedLayout.BeforeIndex)
                {
                    tableRows.Add((StorageTables.Requests, RowWrite.Insert(request.Id, StorageJson.Serialize(request))));
                    continue;
                }

                request = request with { Milestones = RequestMilestones.From(events, request.Tier) };
                var (indexRows, requestTotals) = RequestIndex.Derive(request);
                var stored = request with { Indexed = new RequestIndexEntry([.. indexRows.Select(r => r.Key)], requestTotals) };
                tableRows.Add((StorageTables.Requests, RowWrite.Insert(stored.Id, StorageJson.Serialize(stored))));
                foreach (var (key, data) in indexRows.Concat(events.Where(RequestIndex.Counted).Select(RequestIndex.Event)))
                {
                    if (layout == SeedLayout.IndexInRequestsTable)
                    {
                        tableRows.Add((StorageTables.Requests, RowWrite.Upsert(key, data)));
                    }
                    else if (RequestIndex.BucketOf(key) is { } bucket)
                    {
                        if (!buckets.TryGetValue(bucket, out var entries))
                        {
                            buckets[bucket] = entries = new Dictionary<string, string>(StringComparer.Ordinal);
                        }

                        entries[key] = data;
                    }
                    else
                    {
                        tableRows.Add((RequestIndex.TableOf(key), RowWrite.Upsert(key, data)));
                    }
                }

                foreach (var (key, value) in requestTotals)
                {
                    RequestIndex.Add(totals, key, value);
                }
            }

            var batches = tableRows.GroupBy(r => r.Table).SelectMany(t => t.Select(r => r.Write).Chunk(BatchSize).Select(batch => (Table: t.Key, Batch: batch)));
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (batch, cancellationToken) =>
                await rows.WriteBatchAsync(batch.Table, tenantId, batch.Batch, cancellationToken));
            await Parallel.ForEachAsync(histories, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (history, cancellationToken) =>
                await rows.WriteBatchAsync(StorageTables.RequestHistory, history.RequestId,
                    [.. history.Events.Select(e => RowWrite.Upsert(RequestHistoryStore.RowKey(e), StorageJson.Serialize(e)))], cancellationToken));
        }

        var bucketBatches = buckets.GroupBy(b => RequestIndex.TableOf(b.Key))
            .SelectMany(t => t.Select(b => RowWrite.Upsert(b.Key, RequestIndex.BucketData(b.Value))).Chunk(BucketBatchSize).Select(batch => (Table: t.Key, Batch: batch)));
        await Parallel.ForEachAsync(bucketBatches, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (batch, cancellationToken) =>
            await rows.WriteBatchAsync(batch.Table, tenantId, batch.Batch, cancellationToken));
        if (layout != SeedLayout.BeforeIndex)
        {
            await rows.UpsertAsync(StorageTables.Requests, tenantId, RequestIndex.TotalsKey, StorageJson.Serialize(totals));
        }

        if (layout == SeedLayout.Current)
        {
            await rows.UpsertAsync(StorageTables.Requests, tenantId, RequestIndex.BackfilledKey, "{}");
        }

        // The next id the app allocates follows the seeded ones (RequestStore's counter row).
        await rows.UpsertAsync(StorageTables.RequestCounters, "requests", "next", string.Create(CultureInfo.InvariantCulture, $"{{\"last\":{count}}}"));
    }

    private static RequestShape Shape(int n, DateTimeOffset now)
    {
        var random = new Random(n);
#pragma warning disable CA5394 // Seed data, not security.
        var tier = random.Next(100) switch { < 35 => 1, < 70 => 2, < 90 => 3, _ => 4 };
        var created = now.AddDays(-random.Next(730)).AddMinutes(-random.Next(1440));
        var decided = random.Next(100) < 70;
        var hoursToDecision = random.Next(1, 120);
        var outcome = random.Next(100);
        var hoursSaved = random.Next(4) == 0 ? (double?)null : random.Next(1, 20);
        var checkedRound = decided && random.Next(10) == 0 ? 1 : 0;
#pragma warning restore CA5394
        var status = !decided
            ? (tier == 1 ? RequestStatus.Submitted : RequestStatus.PendingReview)
            : tier switch
            {
                1 => RequestStatus.SelfCertified,
                4 => outcome < 60 ? RequestStatus.Delivered : RequestStatus.InDevelopment,
                _ => outcome < 75 ? RequestStatus.Approved : outcome < 90 ? RequestStatus.ChangesRequested : RequestStatus.Rejected,
            };
        return new RequestShape(tier, status, created, decided ? created.AddHours(hoursToDecision) : null, hoursSaved, checkedRound);
    }

    private static GovernanceRequest Request(string tenantId, int n, RequestShape shape) => new()
    {
        Id = "pending",
        TenantId = tenantId,
        Title = string.Create(CultureInfo.InvariantCulture, $"Solution {n}"),
        Answers = new IntakeAnswers
        {
            SolutionName = string.Create(CultureInfo.InvariantCulture, $"Solution {n}"),
            Purpose = "Tracks invoices and approvals for the finance team",
            Platform = n % 3 == 0 ? Platform.PowerAutomate : Platform.PowerApps,
            Audience = (Audience)(shape.Tier - 1),
            ExpectedUsers = 10 * shape.Tier,
            DataSources = ["sharepoint"],
            Sensitivity = DataSensitivity.Internal,
            CustomCode = CustomCode.None,
            HoursSavedPerWeek = shape.HoursSaved,
        },
        Tier = shape.Tier,
        Reasons = [string.Create(CultureInfo.InvariantCulture, $"Seeded as Tier {shape.Tier}")],
        Status = shape.Status,
        Maker = new Person(string.Create(CultureInfo.InvariantCulture, $"29:maker-{n % 500}"), null, string.Create(CultureInfo.InvariantCulture, $"Maker {n % 500}")),
        CreatedAt = shape.Created,
        UpdatedAt = shape.Decided ?? shape.Created,
        DueAt = shape.Tier == 1 ? null : shape.Created.AddHours(48),
        ReviewCycle = shape.Tier == 1 ? 0 : 1,
        PortfolioCheck = shape.CheckedRound > 0 ? new PortfolioCheck(shape.CheckedRound, shape.Decided!.Value.AddDays(90)) : null,
    };

    private static IEnumerable<RequestHistoryEvent> Events(GovernanceRequest request, RequestShape shape)
    {
        var maker = request.Maker;
        var reviewer = new Person("29:reviewer", null, "Reviewer");
        yield return Event(request, shape.Created, RequestActions.Submitted, maker, null, RequestStatus.Submitted);
        if (shape.Tier > 1)
        {
            yield return Event(request, shape.Created.AddSeconds(1), RequestActions.SentForReview, maker, RequestStatus.Submitted, RequestStatus.PendingReview);
        }

        if (shape.Decided is not { } decided)
        {
            yield break;
        }

        var action = request.Status switch
        {
            RequestStatus.SelfCertified => RequestActions.SelfCertified,
            RequestStatus.Approved => RequestActions.Approved,
            RequestStatus.ChangesRequested => RequestActions.ChangesRequested,
            RequestStatus.Rejected => RequestActions.Rejected,
            _ => RequestActions.OwnershipTaken,
        };
        yield return Event(request, decided, action, shape.Tier == 1 ? maker : reviewer, RequestStatus.PendingReview, request.Status);
        if (request.Status == RequestStatus.Delivered)
        {
            yield return Event(request, decided.AddDays(30), RequestActions.Delivered, reviewer, RequestStatus.InDevelopment, RequestStatus.Delivered);
        }
    }

    private static RequestHistoryEvent Event(GovernanceRequest request, DateTimeOffset at, string action, Person actor, RequestStatus? before, RequestStatus after) => new()
    {
        RequestId = request.Id,
        At = at,
        Action = action,
        Actor = actor,
        StatusBefore = before,
        StatusAfter = after,
        TierAfter = request.Tier,
    };

    private sealed record RequestShape(int Tier, RequestStatus Status, DateTimeOffset Created, DateTimeOffset? Decided, double? HoursSaved, int CheckedRound);
}

/// <summary>How the seeded tenant's rows are laid out: as this version writes them, or as an earlier one left them.</summary>
internal enum SeedLayout
{
    Current,

    /// <summary>The report index beside the requests in the requests table (the version before its own tables).</summary>
    IndexInRequestsTable,

    /// <summary>Requests without milestones or index rows, their history in its table (before the report index).</summary>
    BeforeIndex,
}
