namespace FusionBot.Features.Privacy;

/// <summary>Erasure and export of one person's data (section <c>Privacy</c>).</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>How long an export link works; it downloads once within that time.</summary>
    public TimeSpan ExportLinkLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
