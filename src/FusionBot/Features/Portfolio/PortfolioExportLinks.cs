using System.Globalization;
using System.Security.Cryptography;
using FusionBot.Links;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Portfolio;

public enum ExportLinkCheck { Valid, Invalid, Expired }

/// <summary>A portfolio export link as it was read: whether it works, for which tenant and admin, and its single-use nonce.</summary>
public sealed record ExportLink(ExportLinkCheck Check, string TenantId = "", string AdminId = "", string Nonce = "", DateTimeOffset ExpiresAt = default);

/// <summary>
/// Short-lived export links: the tenant, the requesting admin, the expiry and a random nonce, signed (see
/// <see cref="SignedLinks"/>). The signature is checked before the expiry, so only a genuine link is "expired".
/// The nonce makes each link single-use (the endpoint remembers it until the expiry).
/// </summary>
public sealed class PortfolioExportLinks(SignedLinks links, IOptions<PortfolioOptions> options, TimeProvider time)
{
    public const string Path = "/portfolio/export";

    /// <summary>The link for <paramref name="adminId"/> to download <paramref name="tenantId"/>'s portfolio; null when links are not configured.</summary>
    public Uri? Create(string tenantId, string adminId)
    {
        var expires = (time.GetUtcNow() + options.Value.ExportLinkLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        return links.Create(Path, [new("tenant", tenantId), new("admin", adminId), new("expires", expires), new("nonce", nonce)]);
    }

    public ExportLink Read(IQueryCollection query)
    {
        if (links.Read(Path, query, "tenant", "admin", "expires", "nonce") is not [var tenant, var admin, var expires, var nonce]
            || !long.TryParse(expires.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds)
            || unixSeconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds() || nonce.Value.Length == 0)
        {
            return new ExportLink(ExportLinkCheck.Invalid);
        }

        var check = time.GetUtcNow().ToUnixTimeSeconds() < unixSeconds ? ExportLinkCheck.Valid : ExportLinkCheck.Expired;
        return new ExportLink(check, tenant.Value, admin.Value, nonce.Value, DateTimeOffset.FromUnixTimeSeconds(unixSeconds));
    }
}
