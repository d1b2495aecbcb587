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
        var totals = (await index.TotalsAsync(tenantId, cancellationToken))
            .Select(t => (Parts: t.Key.Split('|'), t.Value))
            .Where(t => tier is null || int.Parse(t.Parts[1], CultureInfo.InvariantCulture) == tier)
            .ToList();
        double Sum(string kind) => totals.Where(t => t.Parts[0] == kind).Sum(t => t.Value);
        var counts = totals.Where(t => t.Parts[0] == "n")
            .Select(t => (Tier: int.Parse(t.Parts[1], CultureInfo.InvariantCulture), Status: Enum.Parse<RequestStatus>(t.Parts[2]), Count: (int)Math.Round(t.Value)))
            .Where(c => c.Count > 0)
            .ToList();
        var tiers = counts.Select(c => c.Tier).Distinct().Order().ToList();
        var (overdueCount, overdue) = await OverdueAsync(tenantId, tiers, totals.Where(t => t.Parts[0] == "r"), now, cancellationToken);

        return new PortfolioFigures
        {
            Total = counts.Sum(c => c.Count),
            ByTier = counts.GroupBy(c => c.Tier).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Count)),
            ByStatus = counts.GroupBy(c => c.Status).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Count)),
            OverdueCount = overdueCount,
            Overdue = overdue,
            OutgrownCount = (int)Math.Round(Sum("g")),
            Outgrown = await FirstAsync(tenantId, tiers, OutgrownPrefix, RowKeyRange.Prefix, (OutgrownRow r) => r.RequestId, (OutgrownRow r, int t) =>
                new PortfolioItem(r.RequestId, t, r.Title, r.Status) { OutgrewTier = r.OutgrewTier }, cancellationToken),
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

    /// <summary>
    /// Overdue: asked, unanswered, and asked at least two graces ago. Counted from the totals by day of asking, but for
    /// the day the line falls on, whose open reviews are read; the longest asked are the first rows of each tier.
    /// </summary>
    private async Task<(int Count, IReadOnlyList<PortfolioItem> First)> OverdueAsync(
        string tenantId, IReadOnlyList<int> tiers, IEnumerable<(string[] Parts, double Value)> openByDay, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var grace = options.Value.ReviewGrace;
        var line = now - grace - grace;
        var lineDay = DateOnly.FromDateTime(line.UtcDateTime);
        var lineDayKey = lineDay.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var count = (int)Math.Round(openByDay.Where(t => string.CompareOrdinal(t.Parts[2], lineDayKey) < 0).Sum(t => t.Value));
        var dayStart = new DateTimeOffset(lineDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var upToLine = Ticks(line.UtcTicks + 1);
        foreach (var tier in tiers)
        {
            count += (await index.AllRowsAsync<OpenReviewRow>(tenantId,
                new RowKeyRange(ReviewPrefix(tier) + Ticks(dayStart), ReviewPrefix(tier) + upToLine), cancellationToken)).Count;
        }

        var first = await FirstAsync(tenantId, tiers, ReviewPrefix, prefix => new RowKeyRange(prefix, prefix + upToLine),
            (OpenReviewRow r) => Ticks(r.AskedAt) + "|" + r.RequestId,
            (OpenReviewRow r, int t) => new PortfolioItem(r.RequestId, t, r.Title, r.Status) { Maker = r.Maker, AskedAt = r.AskedAt }, cancellationToken);
        return (count, first);
    }

    /// <summary>The first <see cref="PortfolioFigures.Listed"/> rows over the tiers' ranges, merged in key order.</summary>
    private async Task<IReadOnlyList<PortfolioItem>> FirstAsync<T>(string tenantId, IReadOnlyList<int> tiers, Func<int, string> prefix,
        Func<string, RowKeyRange> range, Func<T, string> order, Func<T, int, PortfolioItem> item, CancellationToken cancellationToken)
    {
        var found = new List<(string Order, PortfolioItem Item)>();
        foreach (var tier in tiers)
        {
            var rows = await index.RowsAsync<T>(tenantId, range(prefix(tier)), PortfolioFigures.Listed, cancellationToken);
            found.AddRange(rows.Select(r => (order(r), item(r, tier))));
        }

        return [.. found.OrderBy(f => f.Order, StringComparer.Ordinal).Take(PortfolioFigures.Listed).Select(f => f.Item)];
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
