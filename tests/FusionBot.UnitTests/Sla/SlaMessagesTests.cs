using FusionBot.Features.Sla;

namespace FusionBot.UnitTests.Sla;

public sealed class SlaMessagesTests
{
    [Theory]
    [InlineData(0, 0, 0, 30, "less than a minute")]
    [InlineData(0, 0, 12, 0, "12 minutes")]
    [InlineData(0, 3, 20, 0, "3 hours 20 minutes")]
    [InlineData(0, 1, 1, 0, "1 hour 1 minute")]
    [InlineData(2, 4, 59, 0, "2 days 4 hours")]
    [InlineData(1, 0, 5, 0, "1 day 5 minutes")]
    public void Time_left_reads_in_its_two_largest_units(int days, int hours, int minutes, int seconds, string expected)
    {
        Assert.Equal(expected, SlaMessages.Duration(new TimeSpan(days, hours, minutes, seconds)));
    }
}
