using System.Globalization;
using System.Text.RegularExpressions;

namespace FusionBot.Cards;

/// <summary>
/// Moments in plain-text messages, where Teams' <c>{{DATE()}}</c>/<c>{{TIME()}}</c> do not work: in the reader's time
/// zone when their Teams client told us (its <c>clientInfo</c> entity), with the offset, else in UTC, saying so.
/// </summary>
public static partial class LocalTime
{
    /// <summary>The zone of an IANA id as Teams sends it ("Europe/Berlin"); null when missing or unknown here.</summary>
    // The id comes from the client and names a file of the host's zone database: only the shape of an IANA id goes there.
    public static TimeZoneInfo? Find(string? ianaId) =>
        ianaId is { Length: > 0 and <= 64 } id && IanaId().IsMatch(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}$")]
    private static partial Regex IanaId();

    /// <summary>"2026-11-23 10:30 UTC+1", "2026-11-23 15:00 UTC+5:30"; "2026-11-23 09:30 UTC" with no zone (or UTC's offset).</summary>
    public static string Format(DateTimeOffset at, TimeZoneInfo? zone)
    {
        var offset = zone?.GetUtcOffset(at) ?? TimeSpan.Zero;
        var local = at.ToOffset(offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (offset == TimeSpan.Zero)
        {
            return local + " UTC";
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        var hours = ((int)abs.TotalHours).ToString(CultureInfo.InvariantCulture);
        return $"{local} UTC{sign}{hours}{(abs.Minutes == 0 ? "" : ":" + abs.Minutes.ToString("00", CultureInfo.InvariantCulture))}";
    }
}
