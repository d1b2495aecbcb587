using FusionBot.Features.Sla;
using static FusionBot.UnitTests.Sla.SlaTestData;

namespace FusionBot.UnitTests.Sla;

public sealed class SlaClockTests
{
    [Fact]
    public void WithoutBusinessHoursTheClockRunsAroundTheClock()
    {
        var clock = Clock(new SlaOptions());
        var saturdayNight = At("2025-01-11T23:00+01:00");

        Assert.Equal(At("2025-01-12T01:30+01:00"), clock.AddWorkingTime(saturdayNight, Hours(2.5)));
        Assert.Equal(Hours(2.5), clock.WorkingTimeBetween(saturdayNight, At("2025-01-12T01:30+01:00")));
        Assert.Equal(TimeSpan.Zero, clock.WorkingTimeBetween(saturdayNight, saturdayNight.AddHours(-1)));
    }

    [Fact]
    public void DisabledBusinessHoursAreIgnored()
    {
        var clock = Clock(new SlaOptions { BusinessHours = new BusinessHoursOptions { Enabled = false, TimeZone = "Europe/Amsterdam" } });

        Assert.Equal(At("2025-01-12T10:00Z"), clock.DueAt(2, At("2025-01-10T10:00Z")));
    }

    [Fact]
    public void DefaultWindowsAre48HoursForTier2And5DaysForTiers3And4()
    {
        var clock = Clock(new SlaOptions());
        var entered = At("2025-01-06T10:00Z");

        Assert.Null(clock.DueAt(1, entered));
        Assert.Equal(At("2025-01-08T10:00Z"), clock.DueAt(2, entered));
        Assert.Equal(At("2025-01-11T10:00Z"), clock.DueAt(3, entered));
        Assert.Equal(At("2025-01-11T10:00Z"), clock.DueAt(4, entered));
    }

    [Fact]
    public void Tier2IsDueSixWorkingDaysLaterWithBusinessHours()
    {
        Assert.Equal(At("2025-01-14T10:00+01:00"), OfficeClock().DueAt(2, At("2025-01-06T10:00+01:00")));
    }

    [Fact]
    public void RemindersFallAt50And90PercentOfTheWindowThenTheBreach()
    {
        var points = Clock(new SlaOptions()).PointsFor(2, At("2025-01-06T10:00Z"));

        Assert.Equal(
            [
                new SlaPoint("remind-50", SlaPointKind.Reminder, 0.5, At("2025-01-07T10:00Z")),
                new SlaPoint("remind-90", SlaPointKind.Reminder, 0.9, At("2025-01-08T05:12Z")), // 43.2 h
                new SlaPoint("breach", SlaPointKind.Breach, 1, At("2025-01-08T10:00Z")),
            ],
            points);
    }

    [Fact]
    public void RemindersAreFractionsOfWorkingTimeWithBusinessHours()
    {
        var points = OfficeClock().PointsFor(2, At("2025-01-06T10:00+01:00"));

        Assert.Equal(
            [
                new SlaPoint("remind-50", SlaPointKind.Reminder, 0.5, At("2025-01-09T10:00+01:00")), // 24 working hours
                new SlaPoint("remind-90", SlaPointKind.Reminder, 0.9, At("2025-01-13T13:12+01:00")), // 43.2 working hours
                new SlaPoint("breach", SlaPointKind.Breach, 1, At("2025-01-14T10:00+01:00")),
            ],
            points);
    }

    [Fact]
    public void ConfiguredReminderFractionsGiveTheirOwnKeysAndTheBreachIsTheDueTime()
    {
        var clock = Clock(new SlaOptions { RemindAt = [0.25, 0.333, 0.75], Tier3 = Hours(100) });
        var entered = At("2025-01-06T00:00Z");

        var points = clock.PointsFor(3, entered);

        Assert.Equal(["remind-25", "remind-33.3", "remind-75", "breach"], points.Select(p => p.Key));
        Assert.Equal(entered.AddMinutes(1998), points[1].At);
        Assert.Equal(clock.DueAt(3, entered), points[^1].At);
    }

    [Fact]
    public void Tier1HasNoPointsAndUnknownTiersAreRejected()
    {
        var clock = Clock(new SlaOptions());

        Assert.Empty(clock.PointsFor(1, At("2025-01-06T10:00Z")));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.PointsFor(5, At("2025-01-06T10:00Z")));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.DueAt(0, At("2025-01-06T10:00Z")));
    }
}
