using System.Globalization;

namespace FusionBot.Cards;

/// <summary>Numbers as people read them on a card: counted nouns and durations in sensible units.</summary>
public static class CardWords
{
    /// <summary>"1 solution", "2 solutions", "1,200 requests".</summary>
    public static string Count(int count, string singular, string? plural = null) =>
        $"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? singular : plural ?? singular + "s")}";

    /// <summary>"less than a minute", "45 min", "3.5 hours", "2 days": the largest unit that reads as at least one.</summary>
    public static string Duration(TimeSpan span)
    {
        var minutes = Math.Round(span.TotalMinutes, MidpointRounding.AwayFromZero);
        if (minutes < 1)
        {
            return "less than a minute";
        }
        if (minutes < 60)
        {
            return $"{minutes.ToString("0", CultureInfo.InvariantCulture)} min";
        }

        var hours = Math.Round(span.TotalHours, 1, MidpointRounding.AwayFromZero);
        if (hours < 24)
        {
            return hours == 1 ? "1 hour" : $"{hours.ToString("0.#", CultureInfo.InvariantCulture)} hours";
        }

        var days = Math.Round(span.TotalDays, 1, MidpointRounding.AwayFromZero);
        return days == 1 ? "1 day" : $"{days.ToString("0.#", CultureInfo.InvariantCulture)} days";
    }

    /// <summary>
    /// A moment as Teams' <c>{{DATE()}}</c> and <c>{{TIME()}}</c> functions, which every client shows in its reader's
    /// own time zone and language, e.g. "Mon, Nov 23, 2026 10:30 AM".
    /// </summary>
    public static string When(DateTimeOffset at)
    {
        var utc = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"{{{{DATE({utc}, SHORT)}}}} {{{{TIME({utc})}}}}";
    }
}
