using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace FusionBot.Storage;

/// <summary>Rejects storage settings no table or file can be made from; each failure names the key.</summary>
public sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!TablePrefixPattern().IsMatch(options.EffectiveTablePrefix))
        {
            failures.Add($"{StorageOptions.SectionName}:TablePrefix '{options.TablePrefix}' is invalid: use 1 to 40 letters or digits, starting with a letter.");
        }

        if (options.TableServiceUri is { IsAbsoluteUri: false })
        {
            failures.Add($"{StorageOptions.SectionName}:TableServiceUri '{options.TableServiceUri}' is not an absolute URI.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Table names allow letters and digits only and must start with a letter; the longest suffix is 19 of 63.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex TablePrefixPattern();
}
