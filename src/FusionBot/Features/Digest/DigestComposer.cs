using FusionBot.Features.Classification;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Digest;

/// <summary>
/// Prepares a tenant's digest for a date: reads the week's requests and history, computes the figures, asks for the
/// themes, and stores the record with the desk's note. A digest already sent is never recomputed.
/// </summary>
public sealed class DigestComposer(
    IRequestStore requests,
    IRequestHistoryStore history,
    ConnectorCatalogue catalogue,
    IComponentCatalogueStore components,
    DigestArchive archive,
    DigestSchedule schedule,
    IOptions<DigestOptions> options,
    IDigestThemeSummarizer? themes = null)
{
    private const int PageSize = 200;

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
        // A weekly job may page through the tenant; a request untouched since the decisions chart's first window
        // opened has nothing in it.
        var since = to - (DigestCalculator.TrendPeriods * (to - from));
        var touched = new List<GovernanceRequest>();
        string? after = null;
        while (true)
        {
            var page = await requests.ListAsync(tenantId, PageSize, after, cancellationToken);
            touched.AddRange(page.Where(r => r.CreatedAt >= since || r.UpdatedAt >= since || r.SlaBreachedAt >= since));
            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].Id;
        }

        var events = new Dictionary<string, IReadOnlyList<RequestHistoryEvent>>();
        foreach (var request in touched)
        {
            events[request.Id] = await history.ListAsync(request.Id, cancellationToken);
        }

        var catalogued = await components.ListAsync(tenantId, cancellationToken);
        var figures = DigestCalculator.Compute(touched, events, from, to, id => catalogue.Check(id).Connector.Name) with
        {
            NewComponents = ComponentDigest.New(catalogued, from, to),
            MostUsedComponents = ComponentDigest.MostUsed(catalogued, await components.ListUsesAsync(tenantId, cancellationToken), from, to),
        };
        IReadOnlyList<string> purposes = [.. touched.Where(r => r.CreatedAt >= from && r.CreatedAt < to)
            .Select(r => r.Answers.Purpose).OfType<string>().Where(p => p.Length > 0)];
        return (figures, purposes);
    }
}
