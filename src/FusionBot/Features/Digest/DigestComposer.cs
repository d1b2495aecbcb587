using FusionBot.Features.Classification;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Digest;

/// <summary>
/// Prepares a tenant's digest for a date: reads the week's rows of the report index, computes the figures, asks for the
/// themes, and stores the record with the desk's note. A digest already sent is never recomputed.
/// </summary>
public sealed class DigestComposer(
    RequestIndexReader index,
    ConnectorCatalogue catalogue,
    IComponentCatalogueStore components,
    DigestArchive archive,
    DigestSchedule schedule,
    IOptions<DigestOptions> options,
    IDigestThemeSummarizer? themes = null,
    IDigestInventory? inventory = null)
{
    /// <summary>The tenant's digest named by the local date of <paramref name="to"/>, covering the window that ends then.</summary>
    public async Task<DigestRecord> PrepareAsync(string tenantId, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var id = DigestRecord.IdFor(tenantId, schedule.LocalDate(to));
        var existing = await archive.GetAsync(id, cancellationToken);
        if (existing?.Value.SentAt is not null)
        {
            return existing.Value;
        }

        var from = to - options.Value.Window;
        var (figures, purposes) = await ComputeAsync(tenantId, from, to, cancellationToken);
        var desk = await archive.GetDeskAsync(tenantId, cancellationToken);
        var record = new DigestRecord
        {
            Id = id,
            TenantId = tenantId,
            Figures = figures,
            Themes = themes is null ? null : await themes.SummarizeAsync(purposes, cancellationToken),
            Note = desk.Value.Note,
            PreparedAt = to,
        };

        try
        {
            await archive.SaveAsync(record, existing?.ETag, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Someone prepared or sent it meanwhile: theirs stands.
            return (await archive.GetAsync(id, cancellationToken))?.Value ?? record;
        }

        await archive.UpdateDeskAsync(tenantId, d => d with { CurrentId = id }, cancellationToken);
        return record;
    }

    private async Task<(DigestFigures Figures, IReadOnlyList<string> Purposes)> ComputeAsync(
        string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // Only the window's rows of the report index: requests created in it, the history events recorded in it, SLA
        // breaches in it, and review windows decided as far back as the decisions chart reaches.
        await index.EnsureIndexedAsync(tenantId, cancellationToken);
        var since = to - (DigestCalculator.TrendPeriods * (to - from));
        RowKeyRange Window(string prefix, DateTimeOffset start) => new(prefix + RequestIndex.Ticks(start), prefix + RequestIndex.Ticks(to));
        var inputs = new DigestInputs(
            await index.AllRowsAsync<RequestIndex.CreatedRow>(tenantId, Window(RequestIndex.CreatedPrefix, from), cancellationToken),
            await index.AllRowsAsync<RequestIndex.EventRow>(tenantId, Window(RequestIndex.EventPrefix, from), cancellationToken),
            await index.AllRowsAsync<RequestIndex.DecidedRow>(tenantId, Window(RequestIndex.DecidedPrefix, since), cancellationToken),
            await index.AllRowsAsync<RequestIndex.BreachedRow>(tenantId, Window(RequestIndex.BreachedPrefix, from), cancellationToken));

        var catalogued = await components.ListAsync(tenantId, cancellationToken);
        var figures = DigestCalculator.Compute(inputs, from, to, id => catalogue.Check(id).Connector.Name) with
        {
            NewComponents = ComponentDigest.New(catalogued, from, to),
            MostUsedComponents = ComponentDigest.MostUsed(catalogued, await components.ListUsesAsync(tenantId, cancellationToken), from, to),
            Inventory = inventory is null ? null : await inventory.ReadAsync(tenantId, from, to, cancellationToken),
        };
        IReadOnlyList<string> purposes = [.. inputs.Created.Select(r => r.Purpose).OfType<string>().Where(p => p.Length > 0)];
        return (figures, purposes);
    }
}
