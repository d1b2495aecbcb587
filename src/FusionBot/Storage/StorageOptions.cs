using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FusionBot.Storage;

/// <summary>
/// The "Storage" configuration section. Table Storage when a connection string or a table service URI
/// (managed identity) is set; otherwise the embedded SQLite file.
/// </summary>
public sealed partial class StorageOptions
{
    public const string SectionName = "Storage";
    public const string DefaultTablePrefix = "fusionbot";
    public const string DefaultEmbeddedFileName = "fusionbot.db";

    public string? ConnectionString { get; init; }
    public Uri? TableServiceUri { get; init; }
    public string TablePrefix { get; init; } = DefaultTablePrefix;

    /// <summary>The SQLite file; relative paths are under the content root.</summary>
    public required string EmbeddedPath { get; init; }

    public bool UsesTableStorage => !string.IsNullOrWhiteSpace(ConnectionString) || TableServiceUri is not null;

    public static StorageOptions Read(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var section = configuration.GetSection(SectionName);

        var prefix = section["TablePrefix"] is { Length: > 0 } configured ? configured : DefaultTablePrefix;
        if (!TablePrefixPattern().IsMatch(prefix))
        {
            throw new InvalidOperationException(
                $"{SectionName}:TablePrefix '{prefix}' is invalid: use 1 to 40 letters or digits, starting with a letter.");
        }

        Uri? serviceUri = null;
        if (section["TableServiceUri"] is { Length: > 0 } uriText &&
            !Uri.TryCreate(uriText, UriKind.Absolute, out serviceUri))
        {
            throw new InvalidOperationException($"{SectionName}:TableServiceUri is not an absolute URI.");
        }

        var embeddedPath = section["EmbeddedPath"] is { Length: > 0 } path ? path : DefaultEmbeddedFileName;
        return new StorageOptions
        {
            ConnectionString = section["ConnectionString"],
            TableServiceUri = serviceUri,
            TablePrefix = prefix,
            EmbeddedPath = Path.GetFullPath(embeddedPath, environment.ContentRootPath),
        };
    }

    // Table names allow letters and digits only and must start with a letter; the longest suffix is 19 of 63.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex TablePrefixPattern();
}
