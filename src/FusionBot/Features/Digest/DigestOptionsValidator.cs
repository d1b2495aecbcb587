using Cronos;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Digest;

/// <summary>A schedule Cronos reads, a known time zone, and positive periods and rates; each failure names the key.</summary>
public sealed class DigestOptionsValidator : IValidateOptions<DigestOptions>
{
    private const string Section = DigestOptions.Section;

    public ValidateOptionsResult Validate(string? name, DigestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IsCron(options.Schedule))
        {
            failures.Add($"{Section}:Schedule must be a five-field cron expression, e.g. \"0 9 * * 1\", got '{options.Schedule}'.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            failures.Add($"{Section}:TimeZone must be an IANA time zone id, e.g. \"Europe/London\", got '{options.TimeZone}'.");
        }

        if (options.Window <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:Window must be positive.");
        }

        if (options.MaxSendsPerSecond <= 0)
        {
            failures.Add($"{Section}:MaxSendsPerSecond must be positive.");
        }

        if (options.ThemesTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:ThemesTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsCron(string expression)
    {
        try
        {
            CronExpression.Parse(expression);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }
}
