using Microsoft.Extensions.Options;

namespace FusionBot.Features.Onboarding;

/// <summary>Links makers can open, and no acknowledgement of guidelines that are not linked.</summary>
public sealed class OnboardingOptionsValidator : IValidateOptions<OnboardingOptions>
{
    private const string Section = OnboardingOptions.Section;

    public ValidateOptionsResult Validate(string? name, OnboardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IsWebLink(options.TrainingUrl))
        {
            failures.Add($"{Section}:TrainingUrl must be an absolute http(s) URL.");
        }

        if (!IsWebLink(options.GuidelinesUrl))
        {
            failures.Add($"{Section}:GuidelinesUrl must be an absolute http(s) URL.");
        }

        if (options.RequireAcknowledgement && options.GuidelinesUrl is null)
        {
            failures.Add($"{Section}:RequireAcknowledgement needs {Section}:GuidelinesUrl: makers must be able to open what they confirm.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsWebLink(Uri? url) => url is null || (url.IsAbsoluteUri && url.Scheme is "https" or "http");
}
