using System.Globalization;

namespace FusionBot.Features.Sla;

public enum SlaPointKind { Reminder, Breach }

/// <summary>
/// A moment in a request's review window that something is due: a reminder at a fraction of the window, or the
/// breach at its end. <see cref="Key"/> is stable for a given configuration, so due work can be given a deterministic id.
/// </summary>
public sealed record SlaPoint(string Key, SlaPointKind Kind, double Fraction, DateTimeOffset At)
{
    public const string BreachKey = "breach";

    /// <summary>"remind-50" for 0.5, "remind-33.3" for 0.333: the fraction as a percentage, to two decimals.</summary>
    public static string ReminderKey(double fraction) =>
        "remind-" + Percent(fraction).ToString("0.##", CultureInfo.InvariantCulture);

    internal static double Percent(double fraction) => Math.Round(fraction * 100, 2);
}
