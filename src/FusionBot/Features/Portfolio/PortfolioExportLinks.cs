using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Portfolio;

public enum ExportLinkCheck { Valid, Invalid, Expired }

/// <summary>
/// Short-lived export links: the tenant, the requesting admin and the expiry, signed with HMAC-SHA256 under the
/// configured key. The signature is checked in constant time before the expiry, so only a genuine link is "expired".
/// </summary>
public sealed class PortfolioExportLinks(IOptions<PortfolioOptions> options, TimeProvider time)
{
    public const string Path = "/portfolio/export";

    public bool IsConfigured => options.Value.SigningKeyBytes() is not null;

    /// <summary>The link for <paramref name="adminId"/> to download <paramref name="tenantId"/>'s portfolio, under <paramref name="baseUrl"/>.</summary>
    public Uri Create(Uri baseUrl, string tenantId, string adminId)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var key = options.Value.SigningKeyBytes() ?? throw new InvalidOperationException("Portfolio:ExportSigningKey is not configured.");
        var expires = (time.GetUtcNow() + options.Value.ExportLinkLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var query = QueryHelpers.AddQueryString(Path, new Dictionary<string, string?>
        {
            ["tenant"] = tenantId,
            ["admin"] = adminId,
            ["expires"] = expires,
            ["sig"] = Sign(key, tenantId, adminId, expires),
        });
        return new Uri(baseUrl, query);
    }

    public ExportLinkCheck Check(string? tenantId, string? adminId, string? expires, string? signature)
    {
        var key = options.Value.SigningKeyBytes();
        if (key is null || tenantId is null || adminId is null || expires is null || signature is null
            || tenantId.Contains('\n', StringComparison.Ordinal) || adminId.Contains('\n', StringComparison.Ordinal))
        {
            return ExportLinkCheck.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(key, tenantId, adminId, expires));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature))
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            return ExportLinkCheck.Invalid;
        }

        return time.GetUtcNow().ToUnixTimeSeconds() < unixSeconds ? ExportLinkCheck.Valid : ExportLinkCheck.Expired;
    }

    private static string Sign(byte[] key, string tenantId, string adminId, string expires)
    {
        // Newline-separated, and Check refuses parts containing one, so no two different links sign the same text.
        var message = Encoding.UTF8.GetBytes($"portfolio-export\n{tenantId}\n{adminId}\n{expires}");
        return WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, message));
    }
}
