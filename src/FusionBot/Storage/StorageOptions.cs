namespace FusionBot.Storage;

/// <summary>
/// The "Storage" configuration section. Table Storage when a connection string or a table service URI
/// (managed identity) is set; otherwise the embedded SQLite file.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string DefaultTablePrefix = "fusionbot";
    public const string DefaultEmbeddedFileName = "fusionbot.db";

    public string? ConnectionString { get; set; }
    public Uri? TableServiceUri { get; set; }

    /// <summary>Prefix of every table; empty means <see cref="DefaultTablePrefix"/>.</summary>
    public string? TablePrefix { get; set; }

    /// <summary>The SQLite file; relative paths are under the content root; empty means <see cref="DefaultEmbeddedFileName"/>.</summary>
    public string? EmbeddedPath { get; set; }

    public string EffectiveTablePrefix => string.IsNullOrWhiteSpace(TablePrefix) ? DefaultTablePrefix : TablePrefix;

    public string EmbeddedFullPath(string contentRoot) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(EmbeddedPath) ? DefaultEmbeddedFileName : EmbeddedPath, contentRoot);
}
