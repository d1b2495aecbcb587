namespace FusionBot.Features.Sla;

/// <summary>
/// Working-time arithmetic over wall-clock opening hours in one time zone. Each working day's opening and closing
/// are converted to instants separately, so 09:00–17:00 stays 09:00–17:00 local on both sides of a DST switch.
/// </summary>
internal sealed class WorkingHours
{
    private readonly TimeZoneInfo _zone;
    private readonly HashSet<DayOfWeek> _days;
    private readonly HashSet<DateOnly> _holidays;
    private readonly TimeOnly _start;
    private readonly TimeOnly _end;

    public WorkingHours(BusinessHoursOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.TimeZone);
        _zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        _days = [.. options.WorkingDaysOrDefault];
        _holidays = [.. options.Holidays];
        _start = options.Start;
        _end = options.End;

        // Without a working day the clock would never advance: AddWorkingTime would loop forever.
        if (_days.Count == 0 || _end <= _start)
        {
            throw new ArgumentException("Business hours need at least one working day and an end after the start.", nameof(options));
        }
    }

    public DateTimeOffset Add(DateTimeOffset start, TimeSpan duration)
    {
        var remaining = duration;
        for (var day = LocalDate(start); ; day = day.AddDays(1))
        {
            if (HoursOn(day) is not { } hours)
            {
                continue;
            }

            var from = Max(hours.Open, start);
            if (from > hours.Close)
            {
                continue;
            }

            var available = hours.Close - from;
            if (remaining <= available)
            {
                return from + remaining;
            }

            remaining -= available;
        }
    }

    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        var total = TimeSpan.Zero;
        for (var day = LocalDate(from); day <= LocalDate(to); day = day.AddDays(1))
        {
            if (HoursOn(day) is { } hours)
            {
                var overlap = Min(hours.Close, to) - Max(hours.Open, from);
                if (overlap > TimeSpan.Zero)
                {
                    total += overlap;
                }
            }
        }

        return total;
    }

    private (DateTimeOffset Open, DateTimeOffset Close)? HoursOn(DateOnly day) =>
        _days.Contains(day.DayOfWeek) && !_holidays.Contains(day)
            ? (ToInstant(day, _start), ToInstant(day, _end))
            : null;

    private DateOnly LocalDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);

    private DateTimeOffset ToInstant(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);

        // Opening hours configured inside a spring-forward gap start at the first minute that exists.
        while (_zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // A wall-clock time that occurs twice when clocks go back counts at its first occurrence (the larger offset).
        return _zone.IsAmbiguousTime(local)
            ? new DateTimeOffset(local, _zone.GetAmbiguousTimeOffsets(local).Max())
            : new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, _zone), TimeSpan.Zero);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
