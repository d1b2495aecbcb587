using Microsoft.Extensions.Options;

namespace FusionBot.Links;

/// <summary>Rejects a signing key too weak to sign with and a public address browsers would not trust.</summary>
public sealed class LinkOptionsValidator : IValidateOptions<LinkOptions>
{
    public ValidateOptionsResult Validate(string? name, LinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.SigningKey) && options.SigningKeyBytes() is null)
        {
            failures.Add($"{LinkOptions.Section}:SigningKey must be base64 of at least 32 bytes.");
        }

        if (options.PublicBaseUrl is not null && !(options.PublicBaseUrl.IsAbsoluteUri && options.PublicBaseUrl.Scheme == Uri.UriSchemeHttps))
        {
            failures.Add($"{LinkOptions.Section}:PublicBaseUrl must be an absolute https address.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
