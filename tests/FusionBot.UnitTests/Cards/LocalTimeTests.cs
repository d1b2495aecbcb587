using FusionBot.Cards;

namespace FusionBot.UnitTests.Cards;

public sealed class LocalTimeTests
{
    private static readonly DateTimeOffset Winter = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Summer = new(2026, 7, 1, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Europe/Berlin", "2026-11-23 10:30 UTC+1", "2026-07-01 11:30 UTC+2")]
    [InlineData("America/Los_Angeles", "2026-11-23 01:30 UTC-8", "2026-07-01 02:30 UTC-7")]
    [InlineData("Asia/Kolkata", "2026-11-23 15:00 UTC+5:30", "2026-07-01 15:00 UTC+5:30")]
    [InlineData("Europe/London", "2026-11-23 09:30 UTC", "2026-07-01 10:30 UTC+1")]
    public void A_known_zone_gives_the_local_time_with_its_offset_that_day(string zone, string winter, string summer)
    {
        Assert.Equal(winter, LocalTime.Format(Winter, LocalTime.Find(zone)));
        Assert.Equal(summer, LocalTime.Format(Summer, LocalTime.Find(zone)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../etc/passwd")]
    public void No_zone_or_an_unknown_one_is_UTC_and_says_so(string? zone)
    {
        Assert.Null(LocalTime.Find(zone));
        Assert.Equal("2026-11-23 09:30 UTC", LocalTime.Format(Winter.ToOffset(TimeSpan.FromHours(3)), LocalTime.Find(zone)));
    }
}
