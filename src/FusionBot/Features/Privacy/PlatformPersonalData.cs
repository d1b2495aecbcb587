using System.Runtime.CompilerServices;
using FusionBot.Features.Inventory;
using FusionBot.Features.Pipelines;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;

namespace FusionBot.Features.Privacy;

/// <summary>
/// What the Power Platform inventory, solution links and prepared portfolio exports hold about a person. Solutions and
/// owner asks are keyed by solution, not owner: their tenant partitions are read whole, as every sync and the CoE's
/// listing already do (bounded by the tenant's inventory). Solution links are read by request (prefix request|) for the
/// person's requests. Deployment gates (keyed by stage run) are found through the index of the gates each person decided
/// (<see cref="DeploymentGates.PersonPartition"/>); backlog items hold request ids only.
/// </summary>
public sealed class PlatformPersonalData(ITableRowStore rows)
{
    /// <summary>The solutions the person owns, the owner asks naming them, and the links they made on <paramref name="requestIds"/>.</summary>
    public async IAsyncEnumerable<PersonalRow> ReadAsync(PersonKeys person, IReadOnlyList<string> requestIds,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        var matcher = new ErasedPerson(person.TenantId, person.TeamsId, person.AadObjectId);
        foreach (var row in await OwnedSolutionsAsync(matcher, cancellationToken))
        {
            yield return new PersonalRow("platformSolutions", row);
        }

        foreach (var row in await AsksNamingAsync(matcher, cancellationToken))
        {
            yield return new PersonalRow("platformAsks", row);
        }

        foreach (var requestId in requestIds)
        {
            foreach (var row in await LinksMadeByAsync(matcher, requestId, cancellationToken))
            {
                yield return new PersonalRow("solutionLinks", row);
            }
        }

        foreach (var row in await GatesDecidedByAsync(matcher, cancellationToken))
        {
            yield return new PersonalRow("deploymentGates", row);
        }
    }

    /// <summary>
    /// Replaces the person as owner (solutions, asks: kept, so nobody is asked twice) and as linker (solution links) by
    /// their pseudonym, and deletes the tenant's prepared export files (rebuilt from the pseudonymised requests on the
    /// next <c>export</c>). ETag-guarded and safe to repeat. Returns how many export rows were deleted.
    /// </summary>
    public async Task<int> EraseAsync(ErasedPerson person, IReadOnlyList<string> requestIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(requestIds);
        var tenant = person.TenantId;
        foreach (var row in await OwnedSolutionsAsync(person, cancellationToken))
        {
            var record = StorageJson.Deserialize<SolutionRecord>(row.Data);
            var solution = record.Solution with { OwnerObjectId = null, OwnerName = person.Pseudonym.Name };
            await rows.ReplaceAsync(StorageTables.PlatformSolutions, tenant, row.RowKey, StorageJson.Serialize(record with { Solution = solution }), row.ETag, cancellationToken);
        }

        foreach (var row in await AsksNamingAsync(person, cancellationToken))
        {
            var ask = StorageJson.Deserialize<OwnerAsk>(row.Data);
            await rows.ReplaceAsync(StorageTables.PlatformAsks, tenant, row.RowKey, StorageJson.Serialize(ask with { OwnerObjectId = null }), row.ETag, cancellationToken);
        }

        foreach (var requestId in requestIds)
        {
            foreach (var row in await LinksMadeByAsync(person, requestId, cancellationToken))
            {
                var link = StorageJson.Deserialize<SolutionLinks.LinkRow>(row.Data);
                await rows.ReplaceAsync(StorageTables.SolutionLinks, tenant, row.RowKey, StorageJson.Serialize(link with { LinkedBy = person.Pseudonym }), row.ETag, cancellationToken);
            }
        }

        foreach (var row in await GatesDecidedByAsync(person, cancellationToken))
        {
            var gate = StorageJson.Deserialize<PendingPromotion>(row.Data);
            await rows.ReplaceAsync(StorageTables.DeploymentGates, tenant, row.RowKey, StorageJson.Serialize(gate with { DecidedBy = person.Pseudonym }), row.ETag, cancellationToken);
        }

        // The index is keyed by their ids: all of it goes, also entries of decisions someone else won.
        foreach (var index in GateIndexes(person))
        {
            foreach (var entry in await rows.QueryAllAsync(StorageTables.DeploymentGates, index, RowKeyRange.All, cancellationToken))
            {
                await rows.DeleteAsync(StorageTables.DeploymentGates, index, entry.RowKey, cancellationToken: cancellationToken);
            }
        }

        // Portfolio CSVs copy makers' names; their files and chunks are the tenant's partition, a few files deep.
        var deleted = 0;
        foreach (var row in await rows.QueryAllAsync(StorageTables.Exports, tenant, RowKeyRange.All, cancellationToken))
        {
            deleted += await rows.DeleteAsync(StorageTables.Exports, tenant, row.RowKey, cancellationToken: cancellationToken) ? 1 : 0;
        }

        return deleted;
    }

    private async Task<IEnumerable<TableRow>> OwnedSolutionsAsync(ErasedPerson person, CancellationToken cancellationToken) =>
        (await rows.QueryAllAsync(StorageTables.PlatformSolutions, person.TenantId, RowKeyRange.All, cancellationToken))
            .Where(row => IsOwner(person, StorageJson.Deserialize<SolutionRecord>(row.Data).Solution.OwnerObjectId));

    private async Task<IEnumerable<TableRow>> AsksNamingAsync(ErasedPerson person, CancellationToken cancellationToken) =>
        (await rows.QueryAllAsync(StorageTables.PlatformAsks, person.TenantId, RowKeyRange.All, cancellationToken))
            .Where(row => IsOwner(person, StorageJson.Deserialize<OwnerAsk>(row.Data).OwnerObjectId));

    private async Task<IEnumerable<TableRow>> LinksMadeByAsync(ErasedPerson person, string requestId, CancellationToken cancellationToken) =>
        (await rows.QueryAllAsync(StorageTables.SolutionLinks, person.TenantId, RowKeyRange.Prefix(requestId + "|"), cancellationToken))
            .Where(row => person.Matches(StorageJson.Deserialize<SolutionLinks.LinkRow>(row.Data).LinkedBy));

    /// <summary>The gates the person decided, through the index of their ids (entries of gates someone else decided are skipped).</summary>
    private async Task<List<TableRow>> GatesDecidedByAsync(ErasedPerson person, CancellationToken cancellationToken)
    {
        var found = new List<TableRow>();
        foreach (var index in GateIndexes(person))
        {
            foreach (var entry in await rows.QueryAllAsync(StorageTables.DeploymentGates, index, RowKeyRange.All, cancellationToken))
            {
                if (await rows.GetAsync(StorageTables.DeploymentGates, person.TenantId, entry.RowKey, cancellationToken) is { } row
                    && person.Matches(StorageJson.Deserialize<PendingPromotion>(row.Data).DecidedBy) && !found.Any(f => f.RowKey == row.RowKey))
                {
                    found.Add(row);
                }
            }
        }

        return found;
    }

    private static IEnumerable<string> GateIndexes(ErasedPerson person) =>
        new[] { person.AadObjectId, person.TeamsId }.OfType<string>().Where(k => k.Length > 0).Distinct(StringComparer.Ordinal)
            .Select(key => DeploymentGates.PersonPartition(person.TenantId, key));

    private static bool IsOwner(ErasedPerson person, string? ownerObjectId) =>
        ownerObjectId is { Length: > 0 } && person.Matches(new Person(ownerObjectId, ownerObjectId, null));
}
