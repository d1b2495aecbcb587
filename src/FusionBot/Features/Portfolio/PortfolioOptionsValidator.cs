using Microsoft.Extensions.Options;

namespace FusionBot.Features.Portfolio;

public sealed class PortfolioOptionsValidator : IValidateOptions<PortfolioOptions>
{
    public ValidateOptionsResult Validate(string? name, PortfolioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        RequirePositive(failures, "ReviewInterval", options.ReviewInterval);
        RequirePositive(failures, "ReviewGrace", options.ReviewGrace);
        RequirePositive(failures, "ExportLinkLifetime", options.ExportLinkLifetime);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{PortfolioOptions.Section}:{key} must be positive, got '{value}'.");
        }
    }
}
