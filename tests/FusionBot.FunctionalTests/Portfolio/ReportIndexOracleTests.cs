using System.Globalization;
using System.Text.Json;
using FusionBot.Features.Classification;
using FusionBot.Features.Digest;
using FusionBot.Features.Portfolio;
using FusionBot.FunctionalTests.Review;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using FusionBot.Tests.Oracles;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FusionBot.FunctionalTests.Portfolio;

/// <summary>
/// The report index gives the figures the old calculation gave (<see cref="PortfolioOracle"/>, <see cref="DigestOracle"/>:
/// every request paged, its history read one by one) on the same data: rows stored before the index existed
/// (back-filled on the first read), then changed through the app — a review card clicked over HTTP and transitions
/// applied by the request workflow — and read again after the delta rows were folded.
/// </summary>
public abstract class ReportIndexOracleTests(AzuriteTableServer? tableStorage) : IAsyncLifetime
{
    private static readonly string[] Purposes = ["Invoice approvals for finance", "Room booking for the office", "Invoice reminders", "Onboarding checklist"];
    private static readonly string[][] Sources = [["sharepoint"], [DataSourceKinds.None], ["sharepoint", "dataverse"], [DataSourceKinds.ExternalApi]];
    private static readonly Person Reviewer = new(TeamsUser.Reviewer.Id, TeamsUser.Reviewer.AadObjectId, TeamsUser.Reviewer.Name);
    private readonly IndexTableFaults _faults = new();
    private ReviewHarness _h = null!;
    private string _tenant = "";

    public async Task InitializeAsync()
    {
        _h = await ReviewHarness.StartAsync(tableStorage: tableStorage, services: _faults.Install);
        _tenant = _h.Bot.Activities.TenantId;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private T Get<T>()
        where T : notnull => _h.Bot.Services.GetRequiredService<T>();

    [Fact]
    public async Task Portfolio_and_digest_from_the_index_match_the_old_calculation_before_and_after_changes()
    {
        var now = DateTimeOffset.UtcNow;
        await SeedOldRowsAsync(now, 160);
        await AssertSameFiguresAsync(now);

        // Changes through the app: a request submitted and approved over HTTP, and seeded requests decided, withdrawn
        // and reclassified by the workflow (index rows, deltas and milestones written with each change).
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var submitted = await _h.SubmitAsync(2, "Fresh one");
        await _h.PostedAsync(submitted);
        await _h.ClickAsync("review.approve", submitted, TeamsUser.Reviewer);
        var workflow = Get<RequestWorkflow>();
        var pending = (await Get<IRequestStore>().ListAsync(_tenant, 500)).Where(r => r.Status == RequestStatus.PendingReview && r.Id != submitted).Take(9).ToList();
        Assert.Equal(9, pending.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            var request = await Get<IRequestStore>().GetAsync(_tenant, pending[i].Id);
            RequestStep step = (i % 3) switch
            {
                0 => new(request!.Tier == 4 ? RequestAction.TakeOwnership : RequestAction.Approve, Reviewer, RequestRole.Reviewer),
                1 => new(RequestAction.Withdraw, request!.Maker, RequestRole.Maker),
                _ => new(RequestAction.Reclassify, Reviewer, RequestRole.Reviewer) { Change = r => r with { Tier = r.Tier == 4 ? 3 : r.Tier + 1 } },
            };
            await workflow.ApplyAsync(request!, [step], CancellationToken.None);
        }

        await AssertSameFiguresAsync(DateTimeOffset.UtcNow);
        // Read again: the totals now come from the folded totals row rather than the delta rows.
        await AssertSameFiguresAsync(DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task An_index_kept_in_the_requests_table_by_the_previous_version_moves_to_its_tables_once_with_the_same_figures()
    {
        var now = DateTimeOffset.UtcNow;
        await SeedOldRowsAsync(now, 160, indexInRequestsTable: true);

        // Two instances back-filling at once.
        var backfill = Get<RequestIndexBackfill>();
        await Task.WhenAll(backfill.RunAsync(_tenant, CancellationToken.None), backfill.RunAsync(_tenant, CancellationToken.None));

        foreach (var (prefix, _) in RequestIndex.Kinds)
        {
            Assert.Empty(await Get<ITableRowStore>().QueryAsync(StorageTables.Requests, _tenant, RowKeyRange.Prefix(prefix), 10));
        }

        await AssertSameFiguresAsync(now);

        // Writes after the move remove the rows the request no longer has from their tables.
        await ApplySomeTransitionsAsync(6);
        await AssertSameFiguresAsync(DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Index_rows_whose_write_failed_after_the_request_was_written_are_repaired_by_the_next_report()
    {
        var now = DateTimeOffset.UtcNow;
        await SeedOldRowsAsync(now, 160);
        await AssertSameFiguresAsync(now);

        // The requests are written, their index tables refuse every write: each write leaves its journal row.
        _faults.Failing = true;
        await ApplySomeTransitionsAsync(9);
        _faults.Failing = false;
        Assert.NotEmpty(await Get<ITableRowStore>().QueryAsync(StorageTables.Requests, _tenant, RowKeyRange.Prefix(RequestIndex.DirtyPrefix), 10));

        await AssertSameFiguresAsync(DateTimeOffset.UtcNow);
        Assert.Empty(await Get<ITableRowStore>().QueryAsync(StorageTables.Requests, _tenant, RowKeyRange.Prefix(RequestIndex.DirtyPrefix), 10));
    }

    [Fact]
    public async Task Requests_purged_by_the_retention_leave_figures_that_match_the_old_calculation_over_the_rest()
    {
        var now = DateTimeOffset.UtcNow;
        await SeedOldRowsAsync(now, 160);
        await AssertSameFiguresAsync(now);
        var before = await Get<IRequestStore>().ListAsync(_tenant, 500);
        var cutOff = now.AddDays(-90);

        var handled = await Get<RequestRetention>().PurgeAsync(cutOff, 5000, CancellationToken.None);

        var after = await Get<IRequestStore>().ListAsync(_tenant, 500);
        var purged = before.Where(r => RequestLifecycle.IsFinal(r.Status) && r.UpdatedAt < cutOff).Select(r => r.Id).ToList();
        Assert.NotEmpty(purged);
        Assert.True(handled >= purged.Count);
        Assert.Equal(before.Select(r => r.Id).Except(purged), after.Select(r => r.Id));
        Assert.Contains(after, r => RequestLifecycle.IsFinal(r.Status));
        foreach (var id in purged.Take(10))
        {
            Assert.Empty(await Get<IRequestHistoryStore>().ListAsync(id));
        }

        // Their final rows went from the index table with them.
        var finalRows = await Get<ITableRowStore>().QueryAllAsync(RequestIndex.TableOf(RequestIndex.FinalPrefix), _tenant, RowKeyRange.Prefix(RequestIndex.FinalPrefix), CancellationToken.None);
        Assert.DoesNotContain(finalRows, r => purged.Any(id => r.RowKey.EndsWith("|" + id, StringComparison.Ordinal)));

        await AssertSameFiguresAsync(DateTimeOffset.UtcNow);
        await AssertSameFiguresAsync(DateTimeOffset.UtcNow);
    }

    /// <summary>Pending requests decided, withdrawn and reclassified by the request workflow.</summary>
    private async Task ApplySomeTransitionsAsync(int count)
    {
        var workflow = Get<RequestWorkflow>();
        var pending = (await Get<IRequestStore>().ListAsync(_tenant, 500)).Where(r => r.Status == RequestStatus.PendingReview).Take(count).ToList();
        Assert.Equal(count, pending.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            var request = await Get<IRequestStore>().GetAsync(_tenant, pending[i].Id);
            RequestStep step = (i % 3) switch
            {
                0 => new(request!.Tier == 4 ? RequestAction.TakeOwnership : RequestAction.Approve, Reviewer, RequestRole.Reviewer),
                1 => new(RequestAction.Withdraw, request!.Maker, RequestRole.Maker),
                _ => new(RequestAction.Reclassify, Reviewer, RequestRole.Reviewer) { Change = r => r with { Tier = r.Tier == 4 ? 3 : r.Tier + 1 } },
            };
            await workflow.ApplyAsync(request!, [step], CancellationToken.None);
        }
    }

    private async Task AssertSameFiguresAsync(DateTimeOffset now)
    {
        var grace = Get<IOptions<PortfolioOptions>>().Value.ReviewGrace;
        var entries = await PortfolioOracle.LoadAsync(Get<IRequestStore>(), Get<IRequestHistoryStore>(), _tenant);
        foreach (var tier in new int?[] { null, 1, 2, 3, 4 })
        {
            var expected = PortfolioOracle.Calculate(entries, now, grace, tier);
            var actual = await Get<PortfolioReader>().ReadAsync(_tenant, tier, now, CancellationToken.None);
            Assert.Equal(Json(Rounded(expected)), Json(Rounded(actual)));
        }

        Assert.Contains(entries, e => PortfolioReviews.IsOverdue(e.Request, now, grace));
        Assert.Contains(entries, e => e.ReviewWindows.Count > 1);

        var window = Get<IOptions<DigestOptions>>().Value.Window;
        var catalogue = Get<ConnectorCatalogue>();
        foreach (var to in new[] { now, now.AddDays(-9), now.AddDays(-30) })
        {
            var digest = await Get<DigestComposer>().PrepareAsync(_tenant, to, CancellationToken.None);
            var expected = await DigestOracle.ComputeAsync(Get<IRequestStore>(), Get<IRequestHistoryStore>(), _tenant, to - window, to,
                id => catalogue.Check(id).Connector.Name);
            Assert.Equal(Json(expected with { NewComponents = digest.Figures.NewComponents, MostUsedComponents = digest.Figures.MostUsedComponents }), Json(digest.Figures));
            Assert.True(expected.Decided > 0 && expected.NewRequests > 0, "The compared week must have decisions and new requests.");
        }
    }

    private static PortfolioFigures Rounded(PortfolioFigures figures) => figures with { HoursSavedPerMonth = Math.Round(figures.HoursSavedPerMonth, 6) };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    /// <summary>
    /// Requests as an earlier version stored them (no milestones; history in its own table), written through the
    /// stores: every tier, pending and decided, resubmitted (two review windows), reclassified, breached, in use with
    /// periodic reviews open, answered, overdue and outgrown, created over the last 120 days; and one sent back 60 times
    /// (more index rows than one transaction holds). Or, with <paramref name="indexInRequestsTable"/>, as the version
    /// before this one stored them: milestones, and the index rows beside the requests in the requests table.
    /// </summary>
    private async Task SeedOldRowsAsync(DateTimeOffset now, int count, bool indexInRequestsTable = false)
    {
        var requests = Get<IRequestStore>();
        var history = Get<IRequestHistoryStore>();
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        var written = 0;
        async Task WriteAsync(GovernanceRequest request, IReadOnlyList<RequestHistoryEvent> events)
        {
            if (!indexInRequestsTable)
            {
                var stored = await requests.CreateAsync(request);
                foreach (var e in events)
                {
                    await history.AppendAsync(e with { RequestId = stored.Id });
                }

                return;
            }

            var id = RequestStore.FormatId(++written);
            var recorded = events.Select(e => e with { RequestId = id }).ToList();
            foreach (var e in recorded)
            {
                await history.AppendAsync(e);
            }

            var milestoned = request with { Id = id, Milestones = RequestMilestones.From(recorded, request.Tier) };
            var (indexRows, requestTotals) = RequestIndex.Derive(milestoned);
            var row = milestoned with { Indexed = new RequestIndexEntry([.. indexRows.Select(r => r.Key)], requestTotals) };
            var writes = indexRows.Concat(recorded.Where(RequestIndex.Counted).Select(RequestIndex.Event)).Select(r => RowWrite.Upsert(r.Key, r.Data))
                .Prepend(RowWrite.Insert(id, StorageJson.Serialize(row)));
            foreach (var batch in writes.Chunk(100))
            {
                await Get<ITableRowStore>().WriteBatchAsync(StorageTables.Requests, _tenant, batch);
            }

            foreach (var (key, value) in requestTotals)
            {
                RequestIndex.Add(totals, key, value);
            }
        }

        for (var n = 0; n < count; n++)
        {
            var random = new Random(n);
#pragma warning disable CA5394 // Test data, not security.
            var tier = 1 + random.Next(4);
            var created = now.AddDays(-random.Next(120)).AddMinutes(-random.Next(1440));
            var maker = new Person($"29:maker-{n % 7}", null, $"Maker {n % 7}");
            var events = new List<RequestHistoryEvent>();
            var at = created;
            void Add(string action, RequestStatus? before, RequestStatus after, int? tierBefore = null, int? tierAfter = null, Person? actor = null) =>
                events.Add(new RequestHistoryEvent
                {
                    RequestId = "", At = at, Action = action, Actor = actor ?? maker, StatusBefore = before, StatusAfter = after,
                    TierBefore = tierBefore, TierAfter = tierAfter ?? tier,
                });

            Add(RequestActions.Submitted, null, RequestStatus.Submitted);
            RequestStatus status;
            DateTimeOffset? due = null, breached = null;
            var cycles = 0;
            if (tier == 1)
            {
                at = at.AddMinutes(5);
                status = random.Next(10) < 8 ? RequestStatus.SelfCertified : RequestStatus.Withdrawn;
                Add(status == RequestStatus.SelfCertified ? RequestActions.SelfCertified : RequestActions.Withdrawn, RequestStatus.Submitted, status);
            }
            else
            {
                at = at.AddSeconds(1);
                if (random.Next(8) == 0)
                {
                    Add(RequestActions.Reclassified, RequestStatus.Submitted, RequestStatus.PendingRouting, tier - 1 < 2 ? 2 : tier - 1, tier, Reviewer);
                }

                Add(RequestActions.SentForReview, RequestStatus.Submitted, RequestStatus.PendingReview);
                cycles = 1;
                due = at.AddHours(48);
                status = RequestStatus.PendingReview;
                var decideAfter = TimeSpan.FromMinutes(random.Next(10, 100 * 60));
                if (random.Next(5) == 0)
                {
                    // Changes requested, resubmitted, and sent again: a second review window.
                    at += decideAfter;
                    Add(RequestActions.ChangesRequested, RequestStatus.PendingReview, RequestStatus.ChangesRequested, actor: Reviewer);
                    at = at.AddHours(random.Next(1, 30));
                    Add(RequestActions.Resubmitted, RequestStatus.ChangesRequested, RequestStatus.Submitted);
                    Add(RequestActions.SentForReview, RequestStatus.Submitted, RequestStatus.PendingReview);
                    cycles = 2;
                    due = at.AddHours(48);
                    decideAfter = TimeSpan.FromMinutes(random.Next(10, 100 * 60));
                }

                if (random.Next(4) == 0)
                {
                    breached = due;
                }

                if (random.Next(10) < 7 && at + decideAfter < now)
                {
                    at += decideAfter;
                    (status, var action) = (tier, random.Next(4)) switch
                    {
                        (4, _) => (RequestStatus.InDevelopment, RequestActions.OwnershipTaken),
                        (3, 0) => (RequestStatus.DesignReviewScheduled, RequestActions.DesignReviewScheduled),
                        (_, 1) => (RequestStatus.Rejected, RequestActions.Rejected),
                        (_, 2) => (RequestStatus.ChangesRequested, RequestActions.ChangesRequested),
                        _ => (RequestStatus.Approved, RequestActions.Approved),
                    };
                    Add(action, RequestStatus.PendingReview, status, actor: Reviewer);
                    if (status == RequestStatus.InDevelopment && random.Next(2) == 0 && at.AddDays(3) < now)
                    {
                        at = at.AddDays(3);
                        Add(RequestActions.Delivered, RequestStatus.InDevelopment, RequestStatus.Delivered, actor: Reviewer);
                        status = RequestStatus.Delivered;
                    }
                }
            }

            PortfolioCheck? check = null;
            if (RequestLifecycle.InUse(status))
            {
                var asked = at.AddDays(random.Next(1, 60));
                check = random.Next(5) switch
                {
                    0 or 1 when asked < now => new PortfolioCheck(1, asked),
                    2 when asked.AddDays(1) < now => new PortfolioCheck(1, asked, asked.AddDays(1)),
                    3 when asked.AddDays(1) < now => new PortfolioCheck(1, asked, asked.AddDays(1), OutgrewTier: Math.Max(1, tier - 1)),
                    _ => null,
                };
            }

            await WriteAsync(new GovernanceRequest
            {
                Id = "new",
                TenantId = _tenant,
                Title = string.Create(CultureInfo.InvariantCulture, $"Solution {n}"),
                Answers = new IntakeAnswers
                {
                    Purpose = Purposes[n % Purposes.Length],
                    Platform = (Platform)(n % 4),
                    DataSources = Sources[n % Sources.Length],
                    HoursSavedPerWeek = random.Next(4) == 0 ? null : random.Next(1, 40) / 2.0,
                },
                Tier = tier,
                Reasons = [],
                Status = status,
                Maker = maker,
                CreatedAt = created,
                UpdatedAt = at,
                DueAt = due,
                SlaBreachedAt = breached,
                ReviewCycle = cycles,
                PortfolioCheck = check,
            }, events);
#pragma warning restore CA5394
        }

        await WriteAsync(SentBackSixtyTimes(now, out var sentBack), sentBack);
        if (indexInRequestsTable)
        {
            await Get<ITableRowStore>().UpsertAsync(StorageTables.Requests, _tenant, RequestIndex.TotalsKey, StorageJson.Serialize(totals));
            await Get<ITableRowStore>().UpsertAsync(StorageTables.Requests, _tenant, "idx|backfilled", "{}");
        }
    }

    /// <summary>A Tier 2 request sent back and resubmitted 60 times over 60 days, then approved.</summary>
    private GovernanceRequest SentBackSixtyTimes(DateTimeOffset now, out IReadOnlyList<RequestHistoryEvent> events)
    {
        var maker = new Person("29:maker-long", null, "Maker Long");
        var at = now.AddDays(-100);
        var recorded = new List<RequestHistoryEvent>();
        void Add(string action, RequestStatus? before, RequestStatus after, Person actor) => recorded.Add(new RequestHistoryEvent
        {
            RequestId = "", At = at, Action = action, Actor = actor, StatusBefore = before, StatusAfter = after, TierAfter = 2,
        });

        Add(RequestActions.Submitted, null, RequestStatus.Submitted, maker);
        for (var round = 0; round < 60; round++)
        {
            at = at.AddSeconds(1);
            Add(RequestActions.SentForReview, RequestStatus.Submitted, RequestStatus.PendingReview, maker);
            at = at.AddHours(2 + (round % 7));
            Add(RequestActions.ChangesRequested, RequestStatus.PendingReview, RequestStatus.ChangesRequested, Reviewer);
            at = at.AddHours(12);
            Add(RequestActions.Resubmitted, RequestStatus.ChangesRequested, RequestStatus.Submitted, maker);
        }

        at = at.AddSeconds(1);
        Add(RequestActions.SentForReview, RequestStatus.Submitted, RequestStatus.PendingReview, maker);
        at = at.AddHours(5);
        Add(RequestActions.Approved, RequestStatus.PendingReview, RequestStatus.Approved, Reviewer);
        events = recorded;
        return new GovernanceRequest
        {
            Id = "new",
            TenantId = _tenant,
            Title = "Sent back sixty times",
            Answers = new IntakeAnswers { Purpose = "Invoice approvals", Platform = Platform.PowerApps, DataSources = ["sharepoint"], HoursSavedPerWeek = 3 },
            Tier = 2,
            Reasons = [],
            Status = RequestStatus.Approved,
            Maker = maker,
            CreatedAt = now.AddDays(-100),
            UpdatedAt = at,
            DueAt = at.AddHours(43),
            ReviewCycle = 61,
        };
    }
}

/// <summary>Makes every write to the report index's tables fail while <see cref="Failing"/> is set.</summary>
internal sealed class IndexTableFaults
{
    public bool Failing { get; set; }

    public void Install(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(ITableRowStore));
        services.Remove(original);
        services.AddSingleton<ITableRowStore>(sp => new FailingRowStore(
            (ITableRowStore)(original.ImplementationInstance ?? original.ImplementationFactory!(sp)), this));
    }

    private sealed class FailingRowStore(ITableRowStore inner, IndexTableFaults faults) : ITableRowStore
    {
        public string Description => inner.Description;

        public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

        public Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default) =>
            inner.GetAsync(table, partitionKey, rowKey, cancellationToken);

        public Task<IReadOnlyList<TableRow>> QueryAsync(string table, string partitionKey, RowKeyRange range, int limit, CancellationToken cancellationToken = default) =>
            inner.QueryAsync(table, partitionKey, range, limit, cancellationToken);

        public Task<string> InsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing(table);
            return inner.InsertAsync(table, partitionKey, rowKey, data, cancellationToken);
        }

        public Task<string> ReplaceAsync(string table, string partitionKey, string rowKey, string data, string etag, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing(table);
            return inner.ReplaceAsync(table, partitionKey, rowKey, data, etag, cancellationToken);
        }

        public Task<string> UpsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing(table);
            return inner.UpsertAsync(table, partitionKey, rowKey, data, cancellationToken);
        }

        public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? etag = null, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing(table);
            return inner.DeleteAsync(table, partitionKey, rowKey, etag, cancellationToken);
        }

        public Task<IReadOnlyList<string?>> WriteBatchAsync(string table, string partitionKey, IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing(table);
            return inner.WriteBatchAsync(table, partitionKey, writes, cancellationToken);
        }

        private void ThrowIfFailing(string table)
        {
            if (faults.Failing && table.StartsWith("report", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The report index's tables refuse writes in this test.");
            }
        }
    }
}

public sealed class ReportIndexOracleOnSqliteTests() : ReportIndexOracleTests(null);

public sealed class ReportIndexOracleOnTableStorageTests(AzuriteFixture azurite) : ReportIndexOracleTests(azurite.Server), IClassFixture<AzuriteFixture>;
