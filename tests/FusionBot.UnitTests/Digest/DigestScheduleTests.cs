using FusionBot.Features.Digest;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.UnitTests.Digest;

public sealed class DigestScheduleTests
{
    private static DigestSchedule Schedule(string cron = "0 9 * * 1", string zone = "UTC") =>
        new(Options.Create(new DigestOptions { Schedule = cron, TimeZone = zone }));

    [Fact]
    public void Defaults_are_monday_nine_utc_a_week_manual_send_and_twenty_per_second()
    {
        var options = new DigestOptions();

        Assert.Equal(("0 9 * * 1", "UTC", false, TimeSpan.FromDays(7), 20.0), (options.Schedule, options.TimeZone, options.AutoSend, options.Window, options.MaxSendsPerSecond));
        Assert.Equal(new DateTimeOffset(2026, 6, 8, 9, 0, 0, TimeSpan.Zero), Schedule().NextAfter(new DateTimeOffset(2026, 6, 3, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void The_schedule_is_read_in_its_time_zone_across_daylight_saving()
    {
        var london = Schedule(zone: "Europe/London");

        // Summer: 09:00 BST is 08:00 UTC; winter: 09:00 GMT is 09:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 6, 8, 8, 0, 0, TimeSpan.Zero), london.NextAfter(new DateTimeOffset(2026, 6, 3, 0, 0, 0, TimeSpan.Zero))!.Value.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), london.NextAfter(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero))!.Value.ToUniversalTime());
    }

    [Fact]
    public void A_run_is_named_by_its_local_date_so_every_instance_enqueues_the_same_id()
    {
        var tokyo = Schedule(zone: "Asia/Tokyo");
        var occurrence = new DateTimeOffset(2026, 6, 7, 23, 0, 0, TimeSpan.Zero); // Monday 08:00 in Tokyo

        Assert.Equal("digest-run:2026-06-08", tokyo.RunId(occurrence));
        Assert.Equal(new DateOnly(2026, 6, 8), tokyo.LocalDate(occurrence));
        Assert.Equal("t1:2026-06-08", DigestRecord.IdFor("t1", tokyo.LocalDate(occurrence)));
    }

    [Fact]
    public async Task The_throttle_spaces_sends_by_the_configured_rate()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 8, 9, 0, 0, TimeSpan.Zero));
        using var throttle = new DigestSendThrottle(Options.Create(new DigestOptions { MaxSendsPerSecond = 4 }), time);

        await throttle.WaitAsync(CancellationToken.None);
        var second = throttle.WaitAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second;

        // After a quiet spell the next send goes at once: no burst credit beyond one slot.
        time.Advance(TimeSpan.FromSeconds(5));
        await throttle.WaitAsync(CancellationToken.None);
        var afterQuiet = throttle.WaitAsync(CancellationToken.None);
        Assert.False(afterQuiet.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(250));
        await afterQuiet;
    }
}
