using System.Globalization;
using FusionBot.Features.Outbox;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Sla;

/// <summary>
/// Rejects SLA settings the clock cannot honour; each failure names the configuration key to fix. The outbox's sweep
/// interval (<c>Outbox:SweepInterval</c>, default when not given) is how often due reminders are looked for.
/// </summary>
public sealed class SlaOptionsValidator(TimeSpan? sweepInterval = null) : IValidateOptions<SlaOptions>
{
    private readonly TimeSpan _sweepInterval = sweepInterval ?? new OutboxOptions().SweepInterval;

    private const string Section = SlaOptions.SectionName;
    private const string Hours = Section + ":BusinessHours";

    public ValidateOptionsResult Validate(string? name, SlaOptions options)
    {
        var failures = new List<string>();
        RequirePositive(failures, "Tier2", options.Tier2);
        RequirePositive(failures, "Tier3", options.Tier3);
        RequirePositive(failures, "Tier4", options.Tier4);
        var remindAtValid = ValidateRemindAt(failures, options.RemindAtOrDefault);
        if (remindAtValid && _sweepInterval > TimeSpan.Zero)
        {
            RequireRoomToRemind(failures, "Tier2", options.Tier2, options);
            RequireRoomToRemind(failures, "Tier3", options.Tier3, options);
            RequireRoomToRemind(failures, "Tier4", options.Tier4, options);
        }

        if (options.BusinessHoursEnabled)
        {
            ValidateBusinessHours(failures, options.BusinessHours!);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:{key} must be positive, got '{value}'.");
        }
    }

    /// <summary>
    /// The sweep finds due work once per <c>Outbox:SweepInterval</c>: reminders (and the breach after the last)
    /// closer together than that would go out in one sweep, a 50 % reminder beside the breach alert.
    /// </summary>
    private void RequireRoomToRemind(List<string> failures, string key, TimeSpan window, SlaOptions options)
    {
        if (window <= TimeSpan.Zero)
        {
            return;
        }

        var points = options.RemindAtOrDefault;
        var bounds = points.Prepend(0).Append(1).ToList();
        // Rounded to milliseconds so that 0.9 → 1 (0.0999…) of a ten-minute window is one minute, as configured.
        var smallestStep = bounds.Zip(bounds.Skip(1), (from, to) => to - from).Min();
        var gap = TimeSpan.FromMilliseconds(Math.Round((window * smallestStep).TotalMilliseconds));
        if (gap >= _sweepInterval)
        {
            return;
        }

        var shortest = TimeSpan.FromSeconds(Math.Ceiling(Math.Round(_sweepInterval.TotalSeconds / smallestStep, 3)));
        failures.Add($"{Section}:{key} '{window}' is too short to remind in: with {Section}:RemindAt [{string.Join(", ", points.Select(Format))}] " +
            $"its reminders and due time would be {gap.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s apart, less than one Outbox:SweepInterval ('{_sweepInterval}'). " +
            $"Use a window of at least '{shortest}', fewer reminders, or a shorter sweep.");
    }

    private static bool ValidateRemindAt(List<string> failures, IReadOnlyList<double> fractions)
    {
        var before = failures.Count;
        for (var i = 0; i < fractions.Count; i++)
        {
            if (!(fractions[i] > 0 && fractions[i] < 1))
            {
                failures.Add($"{Section}:RemindAt:{i} must be a fraction between 0 and 1 (exclusive), got {Format(fractions[i])}.");
            }
        }

        // Compared as the percentages the reminder keys are made of, so two reminders never share a key.
        var percents = fractions.Select(SlaPoint.Percent).ToList();
        if (percents.Zip(percents.Skip(1)).Any(pair => pair.First >= pair.Second))
        {
            failures.Add($"{Section}:RemindAt must be ascending without duplicates, got [{string.Join(", ", fractions.Select(Format))}].");
        }

        return failures.Count == before;
    }

    private static void ValidateBusinessHours(List<string> failures, BusinessHoursOptions hours)
    {
        if (string.IsNullOrWhiteSpace(hours.TimeZone))
        {
            failures.Add($"{Hours}:TimeZone is required when business hours are enabled (an IANA id such as 'Europe/Amsterdam').");
        }
        else if (!IsKnownTimeZone(hours.TimeZone))
        {
            failures.Add($"{Hours}:TimeZone '{hours.TimeZone}' is not a known time zone (use an IANA id such as 'Europe/Amsterdam').");
        }

        if (hours.WorkingDaysOrDefault.Count == 0)
        {
            failures.Add($"{Hours}:WorkingDays must name at least one day.");
        }

        if (hours.End <= hours.Start)
        {
            failures.Add($"{Hours}:End '{hours.End:HH:mm}' must be after {Hours}:Start '{hours.Start:HH:mm}'.");
        }
    }

    private static bool IsKnownTimeZone(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
