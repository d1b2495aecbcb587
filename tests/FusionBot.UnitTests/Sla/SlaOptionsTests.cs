using FusionBot.Features.Outbox;
using FusionBot.Features.Sla;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FusionBot.UnitTests.Sla;

/// <summary>The <c>Sla</c> section bound and validated the way the app does it, from an in-memory configuration.</summary>
public sealed class SlaOptionsTests
{
    [Fact]
    public void AnAbsentSectionGivesTheDefaultsWithoutBusinessHours()
    {
        var options = Bind([]);

        Assert.Equal(TimeSpan.FromHours(48), options.Tier2);
        Assert.Equal(TimeSpan.FromDays(5), options.Tier3);
        Assert.Equal(TimeSpan.FromDays(5), options.Tier4);
        Assert.Equal([0.5, 0.9], options.RemindAtOrDefault);
        Assert.Null(options.BusinessHours);
    }

    [Fact]
    public void EveryKeyBindsAndConfiguredListsReplaceTheDefaults()
    {
        var options = Bind(new()
        {
            ["Sla:Tier2"] = "1.00:00:00",
            ["Sla:Tier3"] = "00:01:00",
            ["Sla:Tier4"] = "10.00:00:00",
            ["Sla:RemindAt:0"] = "0.25",
            ["Sla:RemindAt:1"] = "0.75",
            ["Sla:BusinessHours:TimeZone"] = "America/New_York",
            ["Sla:BusinessHours:WorkingDays:0"] = "Sunday",
            ["Sla:BusinessHours:WorkingDays:1"] = "Monday",
            ["Sla:BusinessHours:Start"] = "08:30",
            ["Sla:BusinessHours:End"] = "16:30",
            ["Sla:BusinessHours:Holidays:0"] = "2025-12-25",
            ["Sla:BusinessHours:Holidays:1"] = "2026-01-01",
        });

        Assert.Equal(TimeSpan.FromDays(1), options.Tier2);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Tier3);
        Assert.Equal(TimeSpan.FromDays(10), options.Tier4);
        Assert.Equal([0.25, 0.75], options.RemindAtOrDefault);
        var hours = Assert.IsType<BusinessHoursOptions>(options.BusinessHours);
        Assert.True(hours.Enabled);
        Assert.Equal("America/New_York", hours.TimeZone);
        Assert.Equal([DayOfWeek.Sunday, DayOfWeek.Monday], hours.WorkingDaysOrDefault);
        Assert.Equal(new TimeOnly(8, 30), hours.Start);
        Assert.Equal(new TimeOnly(16, 30), hours.End);
        Assert.Equal([new DateOnly(2025, 12, 25), new DateOnly(2026, 1, 1)], hours.Holidays);
    }

    [Fact]
    public void ABusinessHoursSectionWithOnlyAZoneWorksMondayToFridayNineToFive()
    {
        var hours = Bind(new() { ["Sla:BusinessHours:TimeZone"] = "Europe/Amsterdam" }).BusinessHours!;

        Assert.True(hours.Enabled);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], hours.WorkingDaysOrDefault);
        Assert.Equal((new TimeOnly(9, 0), new TimeOnly(17, 0)), (hours.Start, hours.End));
        Assert.Empty(hours.Holidays);
    }

    /// <summary>
    /// TimeSpan binds with TimeSpan.Parse: "d.hh:mm:ss". Hours above 23 are not hours: "48:00:00" is 48 days,
    /// and so is a bare "48". ISO 8601 ("PT48H") does not bind at all.
    /// </summary>
    [Theory]
    [InlineData("2.00:00:00", 48 * 60 * 60)]
    [InlineData("1.12:00:00", 36 * 60 * 60)]
    [InlineData("2:00:00:00", 48 * 60 * 60)]
    [InlineData("00:00:10", 10)]
    [InlineData("48:00:00", 48 * 24 * 60 * 60)]
    [InlineData("48", 48 * 24 * 60 * 60)]
    public void TimeSpansBindInDaysDotHoursForm(string configured, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Bind(new() { ["Sla:Tier2"] = configured, ["Outbox:SweepInterval"] = "00:00:01" }).Tier2);
    }

    [Fact]
    public void AnISO8601DurationDoesNotBind()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bind(new() { ["Sla:Tier2"] = "PT48H" }));

        Assert.Contains("Sla:Tier2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sla:Tier2=00:00:00", "Sla:Tier2 must be positive, got '00:00:00'.")]
    [InlineData("Sla:Tier3=-1.00:00:00", "Sla:Tier3 must be positive, got '-1.00:00:00'.")]
    [InlineData("Sla:Tier4=0", "Sla:Tier4 must be positive, got '00:00:00'.")]
    [InlineData("Sla:RemindAt:0=0", "Sla:RemindAt:0 must be a fraction between 0 and 1 (exclusive), got 0.")]
    [InlineData("Sla:RemindAt:0=0.5;Sla:RemindAt:1=1", "Sla:RemindAt:1 must be a fraction between 0 and 1 (exclusive), got 1.")]
    [InlineData("Sla:RemindAt:0=0.9;Sla:RemindAt:1=0.5", "Sla:RemindAt must be ascending without duplicates, got [0.9, 0.5].")]
    [InlineData("Sla:RemindAt:0=0.5;Sla:RemindAt:1=0.5", "Sla:RemindAt must be ascending without duplicates, got [0.5, 0.5].")]
    [InlineData("Sla:BusinessHours:TimeZone=Mars/Base", "Sla:BusinessHours:TimeZone 'Mars/Base' is not a known time zone (use an IANA id such as 'Europe/Amsterdam').")]
    [InlineData("Sla:BusinessHours:Start=09:00", "Sla:BusinessHours:TimeZone is required when business hours are enabled (an IANA id such as 'Europe/Amsterdam').")]
    [InlineData("Sla:BusinessHours:TimeZone=UTC;Sla:BusinessHours:End=08:00", "Sla:BusinessHours:End '08:00' must be after Sla:BusinessHours:Start '09:00'.")]
    [InlineData("Sla:BusinessHours:TimeZone=UTC;Sla:BusinessHours:Start=17:00", "Sla:BusinessHours:End '17:00' must be after Sla:BusinessHours:Start '17:00'.")]
    [InlineData("Sla:Tier2=00:01:00",
        "Sla:Tier2 '00:01:00' is too short to remind in: with Sla:RemindAt [0.5, 0.9] its reminders and due time would be 6 s apart, " +
        "less than one Outbox:SweepInterval ('00:00:15'). Use a window of at least '00:02:30', fewer reminders, or a shorter sweep.")]
    [InlineData("Sla:Tier4=00:00:30;Sla:RemindAt:0=0.5;Outbox:SweepInterval=00:01:00",
        "Sla:Tier4 '00:00:30' is too short to remind in: with Sla:RemindAt [0.5] its reminders and due time would be 15 s apart, " +
        "less than one Outbox:SweepInterval ('00:01:00'). Use a window of at least '00:02:00', fewer reminders, or a shorter sweep.")]
    public void InvalidSettingsFailNamingTheKey(string settings, string expectedFailure)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(Parse(settings)));

        Assert.Equal([expectedFailure], error.Failures);
    }

    [Fact]
    public void ValidationReportsEveryFailureAtOnce()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["Sla:Tier2"] = "00:00:00",
            ["Sla:BusinessHours:TimeZone"] = "Mars/Base",
        }));

        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public void DisabledBusinessHoursAreNotValidated()
    {
        var options = Bind(new() { ["Sla:BusinessHours:Enabled"] = "false", ["Sla:BusinessHours:TimeZone"] = "Mars/Base" });

        Assert.False(options.BusinessHours!.Enabled);
    }

    [Fact]
    public void AnEmptyWorkingWeekIsRejected()
    {
        var options = new SlaOptions { BusinessHours = new BusinessHoursOptions { TimeZone = "UTC", WorkingDays = [] } };

        var result = new SlaOptionsValidator().Validate(null, options);

        Assert.Equal(["Sla:BusinessHours:WorkingDays must name at least one day."], result.Failures);
    }

    [Fact]
    public void TheRegisteredClockUsesTheBoundBusinessHours()
    {
        using var services = Services(new()
        {
            ["Sla:Tier2"] = "00:00:10",
            ["Outbox:SweepInterval"] = "00:00:01",
            ["Sla:BusinessHours:TimeZone"] = "Europe/Amsterdam",
        });

        var clock = services.GetRequiredService<SlaClock>();

        // Friday 16:59:55 local: five seconds before closing, five after Monday's opening.
        Assert.Equal(
            DateTimeOffset.Parse("2025-01-13T08:00:05Z", System.Globalization.CultureInfo.InvariantCulture),
            clock.DueAt(2, DateTimeOffset.Parse("2025-01-10T15:59:55Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static SlaOptions Bind(Dictionary<string, string?> settings)
    {
        using var services = Services(settings);
        return services.GetRequiredService<IOptions<SlaOptions>>().Value;
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddFusionBotSla();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section);
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> Parse(string settings) =>
        settings.Split(';').Select(pair => pair.Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);

    [Theory]
    [InlineData("Sla:Tier2=00:10:00")]
    [InlineData("Sla:Tier2=00:00:05;Outbox:SweepInterval=00:00:00.200")]
    [InlineData("Sla:Tier3=00:01:00;Sla:RemindAt:0=0.5;Outbox:SweepInterval=00:00:30")]
    public void AWindowWithASweepBetweenEveryReminderAndTheDueTimeIsAccepted(string settings)
    {
        var options = Bind(Parse(settings));

        Assert.True(options.Tier2 > TimeSpan.Zero && options.Tier3 > TimeSpan.Zero);
    }

    [Fact]
    public void AWindowTooShortToRemindInStopsTheAppAtStartNamingTheKey()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Sla:Tier3"] = "00:00:30" }).Build());
        services.AddFusionBotSla();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Sla:Tier3 '00:00:30' is too short to remind in", error.Message, StringComparison.Ordinal);
    }
}
