using Cronos;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Digest;

/// <summary>The digest's cron schedule in its time zone: when the next run is and which date a moment belongs to.</summary>
public sealed class DigestSchedule
{
    public DigestSchedule(IOptions<DigestOptions> options)
    {
        Expression = options.Value.Schedule;
        Cron = CronExpression.Parse(options.Value.Schedule);
        Zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
    }

    public string Expression { get; }
    public CronExpression Cron { get; }
    public TimeZoneInfo Zone { get; }

    /// <summary>The first run strictly after <paramref name="after"/>, or null when the expression never fires again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => Cron.GetNextOccurrence(after, Zone, inclusive: false);

    /// <summary>The local date of <paramref name="at"/>: a digest is named by the day it ran.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>The outbox id of a run: every instance enqueues the same id for the same occurrence, so it runs once.</summary>
    public string RunId(DateTimeOffset occurrence) => $"digest-run:{LocalDate(occurrence):yyyy-MM-dd}";
}
