using System.Globalization;
using Azure.Data.Tables;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;

namespace FusionBot.Bench;

/// <summary>
/// Writes open requests the fast way (100-entity transactions, several in flight) in the row shape the app's
/// AzureTableRowStore uses: the request row, and its next SLA point as a due-work row a day ahead (not yet due).
/// The sweep must not read either.
/// </summary>
internal sealed class OpenRequestSeeder(TableServiceClient service, string tablePrefix)
{
    private const int BatchSize = 100;
    private const int InFlight = 4;
    public const string TenantId = "bench-tenant";

    public async Task SeedAsync(int count, DateTimeOffset now)
    {
        var requests = service.GetTableClient(tablePrefix + StorageTables.Requests);
        var dueWork = service.GetTableClient(tablePrefix + StorageTables.DueWork);
        var batches = Enumerable.Range(0, (count + BatchSize - 1) / BatchSize)
            .SelectMany(batch => new[] { (Table: requests, Batch: batch), (Table: dueWork, Batch: batch) });
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (work, cancellationToken) =>
        {
            var numbers = Enumerable.Range(work.Batch * BatchSize, Math.Min(BatchSize, count - (work.Batch * BatchSize)));
            var actions = numbers
                .Select(n => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    work.Table == requests ? RequestEntity(n, now) : FutureDueEntity(n, now)))
                .ToList();
            await work.Table.SubmitTransactionAsync(actions, cancellationToken);
        });
    }

    public static string RequestId(int number) => "FR-" + number.ToString("D6", CultureInfo.InvariantCulture);

    private static TableEntity RequestEntity(int number, DateTimeOffset now) => Entity(TenantId, RequestId(number), StorageJson.Serialize(new GovernanceRequest
    {
        Id = RequestId(number),
        TenantId = TenantId,
        Title = $"Solution {number}",
        Answers = new IntakeAnswers { SolutionName = $"Solution {number}", Platform = Platform.PowerApps },
        Tier = 2,
        Reasons = ["Department-wide audience"],
        Status = RequestStatus.PendingReview,
        Maker = new Person($"29:maker-{number}", null, $"Maker {number}"),
        CreatedAt = now,
        UpdatedAt = now,
        DueAt = now.AddDays(2),
        ReviewCycle = 1,
    }));

    private static TableEntity FutureDueEntity(int number, DateTimeOffset now)
    {
        var dueAt = now.AddDays(1).AddMilliseconds(number);
        var id = $"sla:{RequestId(number)}:1:remind-50";
        var item = new DueWorkItem { Id = id, Kind = "sla-reminder", DueAt = dueAt, Payload = "{}", RequestId = RequestId(number) };
        // The due row's shape as DueWorkStore writes it: {"item": …} with no lease.
        return Entity("due", dueAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + id, StorageJson.Serialize(new { Item = item }));
    }

    private static TableEntity Entity(string partitionKey, string rowKey, string data) => new(partitionKey, rowKey) { ["Data0"] = data };
}
