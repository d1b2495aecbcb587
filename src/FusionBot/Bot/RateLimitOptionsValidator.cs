using Microsoft.Extensions.Options;

namespace FusionBot.Bot;

public sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.PermitsPerPeriod <= 0)
        {
            failures.Add($"{RateLimitOptions.Section}:PermitsPerPeriod must be at least 1, got {options.PermitsPerPeriod}.");
        }

        if (options.Period <= TimeSpan.Zero || options.Period > TimeSpan.FromDays(1))
        {
            failures.Add($"{RateLimitOptions.Section}:Period must be positive and at most a day, got '{options.Period}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
