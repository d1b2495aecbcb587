using FusionBot.Features.Sla;
using static FusionBot.UnitTests.Sla.SlaTestData;

namespace FusionBot.UnitTests.Sla;

/// <summary>Working-time arithmetic in Europe/Amsterdam in winter (UTC+1), 09:00–17:00, Monday to Friday.</summary>
public sealed class BusinessHoursClockTests
{
    [Theory]
    [InlineData("2025-01-06T10:00+01:00", 2, "2025-01-06T12:00+01:00")] // Monday, inside hours
    [InlineData("2025-01-06T07:30+01:00", 2, "2025-01-06T11:00+01:00")] // before opening: starts at 09:00
    [InlineData("2025-01-06T18:00+01:00", 2, "2025-01-07T11:00+01:00")] // after closing: starts next morning
    [InlineData("2025-01-06T16:00+01:00", 2, "2025-01-07T10:00+01:00")] // spans the close
    [InlineData("2025-01-06T15:00+01:00", 2, "2025-01-06T17:00+01:00")] // ends exactly at the close, not next morning
    [InlineData("2025-01-10T16:00+01:00", 2, "2025-01-13T10:00+01:00")] // Friday 16:00 + 2 h = Monday 10:00
    [InlineData("2025-01-11T12:00+01:00", 1, "2025-01-13T10:00+01:00")] // Saturday: starts Monday 09:00
    [InlineData("2025-01-11T12:00+01:00", 0, "2025-01-13T09:00+01:00")] // zero on a weekend: the next opening
    [InlineData("2025-01-06T09:00+01:00", 48, "2025-01-13T17:00+01:00")] // 48 h = six 8-hour days
    [InlineData("2025-01-08T10:00+01:00", 48, "2025-01-16T10:00+01:00")] // six working days later, same time
    [InlineData("2025-01-10T15:00Z", 2, "2025-01-13T10:00+01:00")] // start given in UTC: Friday 16:00 local
    public void AddWorkingTimeCountsOnlyWorkingHours(string start, double hours, string expected)
    {
        Assert.Equal(At(expected), OfficeClock().AddWorkingTime(At(start), Hours(hours)));
    }

    [Fact]
    public void AddWorkingTimeReturnsTheOffsetOfTheStart()
    {
        var due = OfficeClock().AddWorkingTime(At("2025-01-10T15:00Z"), Hours(2));

        Assert.Equal(TimeSpan.Zero, due.Offset);
        Assert.Equal(At("2025-01-13T09:00Z"), due);
    }

    [Fact]
    public void HolidaysStopTheClock()
    {
        // Christmas 2025: Thursday 25 and Friday 26 December.
        var clock = OfficeClock("Europe/Amsterdam", new DateOnly(2025, 12, 25), new DateOnly(2025, 12, 26));
        var start = At("2025-12-24T16:00+01:00");

        Assert.Equal(At("2025-12-29T10:00+01:00"), clock.AddWorkingTime(start, Hours(2)));
        Assert.Equal(Hours(2), clock.WorkingTimeBetween(start, At("2025-12-29T10:00+01:00")));
    }

    [Fact]
    public void ConfiguredWorkingDaysAndHoursReplaceTheDefaults()
    {
        var clock = Clock(new SlaOptions
        {
            BusinessHours = new BusinessHoursOptions
            {
                TimeZone = "Asia/Dubai",
                WorkingDays = [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday],
                Start = new TimeOnly(8, 0),
                End = new TimeOnly(14, 0),
            },
        });

        // Thursday 13:00 + 2 h: one hour Thursday, Friday and Saturday off, one hour Sunday.
        Assert.Equal(At("2025-01-12T09:00+04:00"), clock.AddWorkingTime(At("2025-01-09T13:00+04:00"), Hours(2)));
    }

    [Theory]
    [InlineData("2025-01-10T16:00+01:00", "2025-01-13T10:00+01:00", 2)] // over a weekend
    [InlineData("2025-01-06T10:00+01:00", "2025-01-06T12:30+01:00", 2.5)] // within one day
    [InlineData("2025-01-06T06:00+01:00", "2025-01-06T20:00+01:00", 8)] // a whole day from outside its hours
    [InlineData("2025-01-11T08:00+01:00", "2025-01-12T20:00+01:00", 0)] // a weekend
    [InlineData("2025-01-06T12:00+01:00", "2025-01-06T10:00+01:00", 0)] // to before from
    [InlineData("2025-01-06T09:00+01:00", "2025-01-13T17:00+01:00", 48)] // six working days
    public void WorkingTimeBetweenCountsOnlyWorkingHours(string from, string to, double expectedHours)
    {
        Assert.Equal(Hours(expectedHours), OfficeClock().WorkingTimeBetween(At(from), At(to)));
    }

    [Theory]
    [InlineData("2025-01-06T10:00+01:00", 0.5)]
    [InlineData("2025-01-09T16:45+01:00", 7.25)]
    [InlineData("2025-01-10T11:00+01:00", 48)]
    [InlineData("2025-03-27T10:00+01:00", 120)] // across the spring DST switch
    public void WorkingTimeBetweenUndoesAddWorkingTime(string start, double hours)
    {
        var clock = OfficeClock();
        var end = clock.AddWorkingTime(At(start), Hours(hours));

        Assert.Equal(Hours(hours), clock.WorkingTimeBetween(At(start), end));
    }

    [Fact]
    public void ElapsedWorkingTimeFollowsTheTimeProviderOverAWeekend()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(At("2025-01-10T16:00+01:00"));
        var clock = OfficeClock();
        var enteredReviewAt = time.GetUtcNow();

        time.Advance(TimeSpan.FromDays(2)); // Sunday 16:00
        Assert.Equal(Hours(1), clock.WorkingTimeBetween(enteredReviewAt, time.GetUtcNow()));

        time.Advance(TimeSpan.FromDays(1)); // Monday 16:00
        Assert.Equal(Hours(8), clock.WorkingTimeBetween(enteredReviewAt, time.GetUtcNow()));
    }

    [Fact]
    public void NegativeDurationsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OfficeClock().AddWorkingTime(At("2025-01-06T10:00Z"), Hours(-1)));
    }
}
