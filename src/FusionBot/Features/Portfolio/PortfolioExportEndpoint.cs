using System.Globalization;
using System.Text;
using FusionBot.Features.Access;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Portfolio;

/// <summary>
/// GET /portfolio/export: the prepared CSV (<see cref="PortfolioExports"/>) behind a signed link from <c>portfolio export</c>. No Bot Framework token here (a
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
        PortfolioExports exports, IUsedLinkStore usedLinks, TimeProvider time)
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

        if (await exports.CurrentAsync(link.TenantId, context.RequestAborted) is not { } file)
        {
            return Results.Text("No export is prepared yet. Type portfolio export in the bot for one.", statusCode: StatusCodes.Status404NotFound);
        }

        var name = $"portfolio-{file.PreparedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";
        return Results.Stream(body => WriteAsync(body, exports.ReadAsync(link.TenantId, file, context.RequestAborted), context.RequestAborted),
            "text/csv; charset=utf-8", name);
    }

    /// <summary>The prepared file, a few chunks at a time, straight to the response.</summary>
    private static async Task WriteAsync(Stream body, IAsyncEnumerable<string> chunks, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024);
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(chunk);
            await writer.FlushAsync(cancellationToken);
        }
    }
}
