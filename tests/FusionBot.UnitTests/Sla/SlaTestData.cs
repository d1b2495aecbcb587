using System.Globalization;
using FusionBot.Features.Sla;
using Microsoft.Extensions.Options;

namespace FusionBot.UnitTests.Sla;

internal static class SlaTestData
{
    public static SlaClock Clock(SlaOptions options) => new(Options.Create(options));

    /// <summary>09:00–17:00, Monday to Friday, in the given zone.</summary>
    public static SlaClock OfficeClock(string zone = "Europe/Amsterdam", params DateOnly[] holidays) =>
        Clock(new SlaOptions { BusinessHours = new BusinessHoursOptions { TimeZone = zone, Holidays = holidays } });

    public static DateTimeOffset At(string iso8601) =>
        DateTimeOffset.Parse(iso8601, CultureInfo.InvariantCulture, DateTimeStyles.None);

    public static TimeSpan Hours(double hours) => TimeSpan.FromHours(hours);
}
