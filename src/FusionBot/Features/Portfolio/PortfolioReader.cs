using System.Globalization;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.Options;
using static FusionBot.Requests.RequestIndex;

namespace FusionBot.Features.Portfolio;

/// <summary>
/// The portfolio figures from the tenant's report index (<see cref="RequestIndex"/>), never from its requests one by
/// one: the totals; the first few rows of each list; the open periodic reviews of the one day the overdue line
/// crosses; the review windows of the hour buckets that hold the median; the windows decided in the chart's weeks.
/// A few reads whatever the tenant holds.
/// </summary>
public sealed class PortfolioReader(RequestIndexReader index, IOptions<PortfolioOptions> options)
{
    public async Task<PortfolioFigures> ReadAsync(string tenantId, int? tier, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var totals = await TotalsAsync(tenantId, tier, cancellationToken);
        double Sum(string kind) => totals.Where(t => t.Parts[0] == kind).Sum(t => t.Value);
        var counts = totals.Where(t => t.Parts[0] == "n")
            .Select(t => (Tier: int.Parse(t.Parts[1], CultureInfo.InvariantCulture), Status: Enum.Parse<RequestStatus>(t.Parts[2]), Count: (int)Math.Round(t.Value)))
            .Where(c => c.Count > 0)
            .ToList();
        var (overdueCount, overdue) = await OverdueAsync(tenantId, tier, totals, now, cancellationToken);
        var outgrown = await index.RowsAsync<OutgrownRow>(tenantId, RowKeyRange.Prefix(OutgrownPrefix(tier)), PortfolioFigures.Listed, cancellationToken);

        return new PortfolioFigures
        {
            Total = counts.Sum(c => c.Count),
            ByTier = counts.GroupBy(c => c.Tier).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Count)),
            ByStatus = counts.GroupBy(c => c.Status).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Count)),
            OverdueCount = overdueCount,
            Overdue = overdue,
            OutgrownCount = (int)Math.Round(Sum("g")),
            Outgrown = [.. outgrown.Select(r => new PortfolioItem(r.RequestId, r.Tier, r.Title, r.Status) { OutgrewTier = r.OutgrewTier })],
            HoursSavedPerMonth = Sum("h") * PortfolioFigures.WeeksPerMonth,
            SolutionsWithEstimate = (int)Math.Round(Sum("hc")),
            MedianTimeToDecision = await MedianAsync(tenantId, tier, totals.Where(t => t.Parts[0] == "t"), cancellationToken),
            DecisionsPerWeek = await DecisionsPerWeekAsync(tenantId, tier, now, cancellationToken),
            Requests = tier is { } only
                ? [.. (await index.RowsAsync<TierRow>(tenantId, RowKeyRange.Prefix(TierPrefix(only)), PortfolioFigures.Listed, cancellationToken))
                    .Select(r => new PortfolioItem(r.RequestId, only, r.Title, r.Status))]
                : null,
        };
    }

    /// <summary>Only the overdue periodic reviews: how many, and the longest asked of them.</summary>
    public async Task<(int Count, IReadOnlyList<PortfolioItem> First)> ReadOverdueAsync(string tenantId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await OverdueAsync(tenantId, null, await TotalsAsync(tenantId, null, cancellationToken), now, cancellationToken);

    private async Task<List<(string[] Parts, double Value)>> TotalsAsync(string tenantId, int? tier, CancellationToken cancellationToken) =>
        [.. (await index.TotalsAsync(tenantId, cancellationToken))
            .Select(t => (Parts: t.Key.Split('|'), t.Value))
            .Where(t => tier is null || int.Parse(t.Parts[1], CultureInfo.InvariantCulture) == tier)];

    /// <summary>
    /// Overdue: asked, unanswered, and asked at least two graces ago. Counted from the totals by day of asking, but for
    /// the day the line falls on, whose open reviews are read; the longest asked are the first rows.
    /// </summary>
    private async Task<(int Count, IReadOnlyList<PortfolioItem> First)> OverdueAsync(
        string tenantId, int? tier, IEnumerable<(string[] Parts, double Value)> totals, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var grace = options.Value.ReviewGrace;
        var line = now - grace - grace;
        var lineDay = DateOnly.FromDateTime(line.UtcDateTime);
        var lineDayKey = lineDay.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var count = (int)Math.Round(totals.Where(t => t.Parts[0] == "r" && string.CompareOrdinal(t.Parts[2], lineDayKey) < 0).Sum(t => t.Value));
        var dayStart = new DateTimeOffset(lineDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var upToLine = ReviewPrefix(tier) + Ticks(line.UtcTicks + 1);
        count += (await index.AllRowsAsync<OpenReviewRow>(tenantId, new RowKeyRange(ReviewPrefix(tier) + Ticks(dayStart), upToLine), cancellationToken)).Count;
        var first = await index.RowsAsync<OpenReviewRow>(tenantId, new RowKeyRange(ReviewPrefix(tier), upToLine), PortfolioFigures.Listed, cancellationToken);
        return (count, [.. first.Select(r => new PortfolioItem(r.RequestId, r.Tier, r.Title, r.Status) { Maker = r.Maker, AskedAt = r.AskedAt })]);
    }

    /// <summary>
    /// The median review window: the totals count windows by whole hours, so only the one or two hour buckets that hold
    /// the middle are read, and the middle found in them.
    /// </summary>
    private async Task<TimeSpan?> MedianAsync(string tenantId, int? tier, IEnumerable<(string[] Parts, double Value)> byHour, CancellationToken cancellationToken)
    {
        var buckets = byHour
            .GroupBy(t => long.Parse(t.Parts[2], CultureInfo.InvariantCulture))
            .Select(g => (Hour: g.Key, Count: (long)Math.Round(g.Sum(t => t.Value))))
            .Where(b => b.Count > 0)
            .OrderBy(b => b.Hour)
            .ToList();
        var n = buckets.Sum(b => b.Count);
        if (n == 0)
        {
            return null;
        }

        var read = new Dictionary<long, List<long>>();
        async Task<long> AtAsync(long rank)
        {
            var before = 0L;
            foreach (var (hour, count) in buckets)
            {
                if (rank < before + count)
                {
                    if (!read.TryGetValue(hour, out var durations))
                    {
                        var range = new RowKeyRange(DurationPrefix + Ticks(hour * TimeSpan.TicksPerHour), DurationPrefix + Ticks((hour + 1) * TimeSpan.TicksPerHour));
                        durations = [.. (await index.AllRowsAsync<DurationRow>(tenantId, range, cancellationToken))
                            .Where(r => tier is null || r.Tier == tier).Select(r => r.Ticks).Order()];
                        read[hour] = durations;
                    }

                    return durations[(int)(rank - before)];
                }

                before += count;
            }

            throw new InvalidOperationException("The median's rank is beyond the counted review windows.");
        }

        return n % 2 == 1
            ? TimeSpan.FromTicks(await AtAsync(n / 2))
            : (TimeSpan.FromTicks(await AtAsync((n / 2) - 1)) + TimeSpan.FromTicks(await AtAsync(n / 2))) / 2;
    }

    private async Task<IReadOnlyList<PeriodCount>> DecisionsPerWeekAsync(string tenantId, int? tier, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var week = TimeSpan.FromDays(7);
        var from = now - (PortfolioFigures.TrendWeeks * week);
        var decided = await index.AllRowsAsync<DecidedRow>(tenantId,
            new RowKeyRange(DecidedPrefix + Ticks(from), DecidedPrefix + Ticks(now)), cancellationToken);
        return TimeToDecision.DecisionsPerPeriod(decided.Where(d => tier is null || d.Tier == tier).Select(d => d.DecidedAt), now, week, PortfolioFigures.TrendWeeks);
    }
}
