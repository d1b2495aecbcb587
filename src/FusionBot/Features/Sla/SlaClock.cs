using Microsoft.Extensions.Options;

namespace FusionBot.Features.Sla;

/// <summary>
/// The SLA's time arithmetic: due times, reminder points and elapsed working time of a review window. Pure: every
/// instant comes in as an argument, so callers pass their <see cref="TimeProvider"/>'s now.
/// With business hours on, windows are working time (48 h over 8-hour days is six working days).
/// </summary>
public sealed class SlaClock
{
    private readonly SlaOptions _options;
    private readonly WorkingHours? _workingHours;

    public SlaClock(IOptions<SlaOptions> options)
    {
        _options = options.Value;
        _workingHours = _options.BusinessHoursEnabled ? new WorkingHours(_options.BusinessHours!) : null;
    }

    /// <summary>
    /// The instant <paramref name="duration"/> of working time after <paramref name="start"/>, in the offset of
    /// <paramref name="start"/>. With business hours, a start outside them counts from the next opening.
    /// </summary>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        return _workingHours is null
            ? start + duration
            : _workingHours.Add(start, duration).ToOffset(start.Offset);
    }

    /// <summary>The working time from <paramref name="from"/> to <paramref name="to"/>; zero when <paramref name="to"/> is not later.</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        return _workingHours is null ? to - from : _workingHours.Between(from, to);
    }

    /// <summary>The tier's review window as working time; null for Tier 1, which has no reviewer.</summary>
    public TimeSpan? WindowFor(int tier) => tier switch
    {
        1 => null,
        2 => _options.Tier2,
        3 => _options.Tier3,
        4 => _options.Tier4,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Tiers are 1 to 4."),
    };

    public DateTimeOffset? DueAt(int tier, DateTimeOffset enteredReviewAt) =>
        WindowFor(tier) is { } window ? AddWorkingTime(enteredReviewAt, window) : null;

    /// <summary>The reminders at the configured fractions of the window, then the breach at the due time; none for Tier 1.</summary>
    public IReadOnlyList<SlaPoint> PointsFor(int tier, DateTimeOffset enteredReviewAt)
    {
        if (WindowFor(tier) is not { } window)
        {
            return [];
        }

        var reminders = _options.RemindAtOrDefault.Select(fraction => new SlaPoint(
            SlaPoint.ReminderKey(fraction), SlaPointKind.Reminder, fraction, AddWorkingTime(enteredReviewAt, window * fraction)));
        var breach = new SlaPoint(SlaPoint.BreachKey, SlaPointKind.Breach, 1, AddWorkingTime(enteredReviewAt, window));
        return [.. reminders, breach];
    }
}
