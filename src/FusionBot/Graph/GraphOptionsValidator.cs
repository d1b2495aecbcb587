using Microsoft.Extensions.Options;

namespace FusionBot.Graph;

/// <summary>Graph addresses the client can call and a timeout a card action can wait for; each failure names the key.</summary>
public sealed class GraphOptionsValidator : IValidateOptions<GraphOptions>
{
    private const string Section = GraphOptions.Section;

    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IsWebAddress(options.BaseUrl))
        {
            failures.Add($"{Section}:BaseUrl '{options.BaseUrl}' must be an absolute http(s) URL.");
        }

        if (!IsWebAddress(options.TokenEndpoint))
        {
            failures.Add($"{Section}:TokenEndpoint '{options.TokenEndpoint}' must be an absolute http(s) URL.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:Timeout must be positive, got '{options.Timeout}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsWebAddress(string? value) => string.IsNullOrWhiteSpace(value)
        || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http");
}
