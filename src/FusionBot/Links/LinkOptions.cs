namespace FusionBot.Links;

/// <summary>Links the bot serves itself to browsers: portfolio exports, tracked component links (section <c>Links</c>).</summary>
public sealed class LinkOptions
{
    public const string Section = "Links";

    /// <summary>The bot's public https address; when unset, the address the current request came to.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Base64 HMAC-SHA256 key (32 bytes or more) that signs the links; without it the bot makes none.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The signing key's bytes, or null when it is missing, not base64 or shorter than 32 bytes.</summary>
    public byte[]? SigningKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            return null;
        }

        var buffer = new byte[SigningKey.Length];
        return Convert.TryFromBase64String(SigningKey.Trim(), buffer, out var length) && length >= 32 ? buffer[..length] : null;
    }
}
