using FusionBot.Features.Sla;
using static FusionBot.UnitTests.Sla.SlaTestData;

namespace FusionBot.UnitTests.Sla;

/// <summary>
/// Opening hours are wall-clock hours: 09:00 local is 08:00Z before the EU spring switch and 07:00Z after it.
/// Every expectation is an exact UTC instant.
/// </summary>
public sealed class DaylightSavingTests
{
    [Theory]
    // Europe/Amsterdam, last Sunday of March 2025 (30th): CET +1 -> CEST +2.
    [InlineData("Europe/Amsterdam", "2025-03-28T15:00Z", 2, "2025-03-31T08:00Z")] // Fri 16:00 CET -> Mon 10:00 CEST
    [InlineData("Europe/Amsterdam", "2025-03-27T09:00Z", 48, "2025-04-04T08:00Z")] // Thu 10:00 CET -> Fri 10:00 CEST
    // Europe/Amsterdam, last Sunday of October 2025 (26th): CEST +2 -> CET +1.
    [InlineData("Europe/Amsterdam", "2025-10-24T14:00Z", 2, "2025-10-27T09:00Z")] // Fri 16:00 CEST -> Mon 10:00 CET
    [InlineData("Europe/Amsterdam", "2025-10-23T08:00Z", 48, "2025-10-31T09:00Z")] // Thu 10:00 CEST -> Fri 10:00 CET
    // America/New_York, second Sunday of March 2025 (9th): EST -5 -> EDT -4.
    [InlineData("America/New_York", "2025-03-07T21:00Z", 2, "2025-03-10T14:00Z")] // Fri 16:00 EST -> Mon 10:00 EDT
    // America/New_York, first Sunday of November 2025 (2nd): EDT -4 -> EST -5.
    [InlineData("America/New_York", "2025-10-31T20:00Z", 2, "2025-11-03T15:00Z")] // Fri 16:00 EDT -> Mon 10:00 EST
    public void WorkingHoursStayOnTheLocalWallClockAcrossASwitch(string zone, string start, double hours, string expectedUtc)
    {
        var clock = OfficeClock(zone);

        Assert.Equal(At(expectedUtc), clock.AddWorkingTime(At(start), Hours(hours)));
        Assert.Equal(Hours(hours), clock.WorkingTimeBetween(At(start), At(expectedUtc)));
    }

    [Fact]
    public void OpeningInsideTheSpringForwardGapStartsAtTheFirstMinuteThatExists()
    {
        // 02:30 does not exist on 30 March 2025 in Amsterdam: the day opens at 03:00 CEST (01:00Z), closes 04:00 CEST.
        var clock = NightShift("02:30", "04:00");

        Assert.Equal(At("2025-03-30T01:30Z"), clock.AddWorkingTime(At("2025-03-30T00:00Z"), TimeSpan.FromMinutes(30)));
        Assert.Equal(Hours(1), clock.WorkingTimeBetween(At("2025-03-30T00:00Z"), At("2025-03-30T12:00Z")));
    }

    [Fact]
    public void OpeningInTheRepeatedHourCountsFromItsFirstOccurrence()
    {
        // 02:30 happens twice on 26 October 2025 in Amsterdam: first at 00:30Z (CEST). 04:00 CET is 03:00Z.
        var clock = NightShift("02:30", "04:00");

        Assert.Equal(At("2025-10-26T01:00Z"), clock.AddWorkingTime(At("2025-10-26T00:00Z"), TimeSpan.FromMinutes(30)));
        Assert.Equal(Hours(2.5), clock.WorkingTimeBetween(At("2025-10-26T00:00Z"), At("2025-10-26T12:00Z")));
    }

    private static SlaClock NightShift(string start, string end) => Clock(new SlaOptions
    {
        BusinessHours = new BusinessHoursOptions
        {
            TimeZone = "Europe/Amsterdam",
            WorkingDays = Enum.GetValues<DayOfWeek>(),
            Start = TimeOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
            End = TimeOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture),
        },
    });
}
