using System.Globalization;
using System.Text;
using FusionBot.Features.Access;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Portfolio;

/// <summary>
/// GET /portfolio/export: the CSV behind a signed link from <c>portfolio export</c>. No Bot Framework token here (a
/// browser opens it); the signature is the credential, and the admin it names must still be an admin. Each link
/// downloads once: a copied or replayed link answers 410.
/// </summary>
public static class PortfolioExportEndpoint
{
    public static IEndpointConventionBuilder MapPortfolioExport(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(PortfolioExportLinks.Path, ExportAsync);
    }

    private static async Task<IResult> ExportAsync(HttpContext context, PortfolioExportLinks links, AccessPolicy access,
        PortfolioLoader loader, IUsedLinkStore usedLinks, TimeProvider time)
    {
        context.Response.Headers.CacheControl = "no-store";
        var link = links.Read(context.Request.Query);
        switch (link.Check)
        {
            case ExportLinkCheck.Invalid:
                return Results.Text("This export link is not valid. Type portfolio export in the bot for a new one.", statusCode: StatusCodes.Status403Forbidden);
            case ExportLinkCheck.Expired:
                return Results.Text("This export link has expired. Type portfolio export in the bot for a new one.", statusCode: StatusCodes.Status410Gone);
        }

        if (!await access.IsAdminAsync(new Person(link.AdminId, link.AdminId, null), link.TenantId, context.RequestAborted))
        {
            return Results.Text("Only CoE admins can export the portfolio.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!await usedLinks.TryUseAsync(link.TenantId, link.Nonce, link.ExpiresAt, context.RequestAborted))
        {
            return Results.Text("This export link was already used: each link downloads once. Type portfolio export in the bot for a new one.",
                statusCode: StatusCodes.Status410Gone);
        }

        var csv = PortfolioCsv.Write(await loader.LoadAsync(link.TenantId, context.RequestAborted));
        var name = $"portfolio-{time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";
        return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv; charset=utf-8", name);
    }
}
