using Microsoft.Extensions.Options;

namespace FusionBot.AI;

/// <summary>A model is configured whole or not at all, and intake never waits for it longer than a turn allows.</summary>
public sealed class OpenAIOptionsValidator : IValidateOptions<OpenAIOptions>
{
    private const string Section = OpenAIOptions.Section;

    public ValidateOptionsResult Validate(string? name, OpenAIOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > OpenAIOptions.MaxTimeout)
        {
            failures.Add($"{Section}:Timeout must be more than 0 and at most 5 seconds, got '{options.Timeout}'.");
        }

        if (!options.IsConfigured && (options.Endpoint is not null || !string.IsNullOrWhiteSpace(options.Deployment)))
        {
            failures.Add($"{Section}:Endpoint and {Section}:Deployment go together: set both to use the model, or neither.");
        }

        if (options.Endpoint is { IsAbsoluteUri: false })
        {
            failures.Add($"{Section}:Endpoint '{options.Endpoint}' must be an absolute URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
