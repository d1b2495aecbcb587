namespace FusionBot.Features.Portfolio;

/// <summary>Periodic reviews of solutions in use, and the CoE's portfolio export (section <c>Portfolio</c>).</summary>
public sealed class PortfolioOptions
{
    public const string Section = "Portfolio";

    /// <summary>How long after approval, self-certification, delivery or the last review the maker is asked again.</summary>
    public TimeSpan ReviewInterval { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long the maker has to answer before a reminder; after another grace the review is overdue for the CoE.</summary>
    public TimeSpan ReviewGrace { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Base64 HMAC-SHA256 key (32 bytes or more) that signs export links; without it there is no export.</summary>
    public string? ExportSigningKey { get; set; }

    /// <summary>The bot's public https address for export links; when unset, the address the current request came to.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>How long an export link works.</summary>
    public TimeSpan ExportLinkLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The signing key's bytes, or null when it is missing, not base64 or shorter than 32 bytes.</summary>
    public byte[]? SigningKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(ExportSigningKey))
        {
            return null;
        }

        var buffer = new byte[ExportSigningKey.Length];
        return Convert.TryFromBase64String(ExportSigningKey.Trim(), buffer, out var length) && length >= 32 ? buffer[..length] : null;
    }
}
