namespace FusionBot.Features.Sla;

/// <summary>
/// The review windows per tier, when to remind, and optionally the business hours the windows are counted in.
/// Bound from the <c>Sla</c> section. TimeSpans use .NET's "d.hh:mm:ss" form: <c>"2.00:00:00"</c> is 48 hours,
/// while <c>"48:00:00"</c> and <c>"48"</c> both mean 48 <em>days</em> (hours above 23 roll over into days).
/// With business hours on, every window is working time: 48 h is six 8-hour days, and 5 days (120 h) is fifteen;
/// five working days of 8 hours is <c>"1.16:00:00"</c>.
/// </summary>
public sealed class SlaOptions
{
    public const string SectionName = "Sla";

    internal static readonly IReadOnlyList<double> DefaultRemindAt = [0.5, 0.9];

    /// <summary>Time to a decision on a Tier 2 request.</summary>
    public TimeSpan Tier2 { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Time within which a Tier 3 design review is scheduled.</summary>
    public TimeSpan Tier3 { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Time within which a pro developer takes ownership of a Tier 4 request.</summary>
    public TimeSpan Tier4 { get; set; } = TimeSpan.FromDays(5);

    /// <summary>
    /// Fractions of the window, ascending, each in (0, 1), at which a reminder is due. Null (not configured) means
    /// 0.5 and 0.9. Null rather than pre-filled because the configuration binder appends to a pre-filled list.
    /// </summary>
    public IReadOnlyList<double>? RemindAt { get; set; }

    /// <summary>When present and enabled, windows count working time only; otherwise they run around the clock.</summary>
    public BusinessHoursOptions? BusinessHours { get; set; }

    internal IReadOnlyList<double> RemindAtOrDefault => RemindAt ?? DefaultRemindAt;

    internal bool BusinessHoursEnabled => BusinessHours is { Enabled: true };
}

/// <summary>The working week in one time zone: the SLA clock runs only inside it.</summary>
public sealed class BusinessHoursOptions
{
    internal static readonly IReadOnlyList<DayOfWeek> DefaultWorkingDays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public bool Enabled { get; set; } = true;

    /// <summary>IANA time zone id, e.g. "Europe/Amsterdam". Working hours are wall-clock hours in this zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Null (not configured) means Monday to Friday; null for the same binder reason as <see cref="SlaOptions.RemindAt"/>.</summary>
    public IReadOnlyList<DayOfWeek>? WorkingDays { get; set; }

    public TimeOnly Start { get; set; } = new(9, 0);

    public TimeOnly End { get; set; } = new(17, 0);

    /// <summary>Local dates on which the clock does not run.</summary>
    public IReadOnlyList<DateOnly> Holidays { get; set; } = [];

    internal IReadOnlyList<DayOfWeek> WorkingDaysOrDefault => WorkingDays ?? DefaultWorkingDays;
}
