using System.Globalization;
using FusionBot.Links;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Portfolio;

public enum ExportLinkCheck { Valid, Invalid, Expired }

/// <summary>A portfolio export link as it was read: whether it works, and for which tenant and admin.</summary>
public sealed record ExportLink(ExportLinkCheck Check, string TenantId = "", string AdminId = "");

/// <summary>
/// Short-lived export links: the tenant, the requesting admin and the expiry, signed (see <see cref="SignedLinks"/>).
/// The signature is checked before the expiry, so only a genuine link is "expired".
/// </summary>
public sealed class PortfolioExportLinks(SignedLinks links, IOptions<PortfolioOptions> options, TimeProvider time)
{
    public const string Path = "/portfolio/export";

    /// <summary>The link for <paramref name="adminId"/> to download <paramref name="tenantId"/>'s portfolio; null when links are not configured.</summary>
    public Uri? Create(string tenantId, string adminId)
    {
        var expires = (time.GetUtcNow() + options.Value.ExportLinkLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return links.Create(Path, [new("tenant", tenantId), new("admin", adminId), new("expires", expires)]);
    }

    public ExportLink Read(IQueryCollection query)
    {
        if (links.Read(Path, query, "tenant", "admin", "expires") is not [var tenant, var admin, var expires]
            || !long.TryParse(expires.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            return new ExportLink(ExportLinkCheck.Invalid);
        }

        var check = time.GetUtcNow().ToUnixTimeSeconds() < unixSeconds ? ExportLinkCheck.Valid : ExportLinkCheck.Expired;
        return new ExportLink(check, tenant.Value, admin.Value);
    }
}
