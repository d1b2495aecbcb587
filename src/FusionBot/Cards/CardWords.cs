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
}
