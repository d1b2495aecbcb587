using FusionBot.Storage;

namespace FusionBot.Features.Components;

/// <summary>
/// GET /components/open: records that a maker opened a suggested component, then redirects to it. The target comes
/// from the catalogue, never from the query. Recording is best effort: a storage failure still sends the maker on.
/// </summary>
public static partial class ComponentOpenEndpoint
{
    public static IEndpointConventionBuilder MapComponentOpen(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(ComponentOpenLinks.Path, OpenAsync);
    }

    private static async Task<IResult> OpenAsync(HttpContext context, ComponentOpenLinks links, IComponentCatalogueStore catalogue,
        TimeProvider time, ILoggerFactory loggers)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (links.Read(context.Request.Query) is not var (tenantId, componentId, userId))
        {
            return Results.Text("This link is not valid (it was changed, or the bot's link key was replaced). Type components in the bot to find the component.",
                statusCode: StatusCodes.Status403Forbidden);
        }

        var component = await catalogue.GetAsync(tenantId, componentId, context.RequestAborted);
        if (component is null || component.RetiredAt is not null)
        {
            return Results.Text("This component was retired from the catalogue. Type components in the bot to see the current ones.",
                statusCode: StatusCodes.Status410Gone);
        }

        try
        {
            await catalogue.RecordOpenAsync(tenantId, new ComponentOpen(component.Id, userId, time.GetUtcNow()), context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotRecorded(loggers.CreateLogger(nameof(ComponentOpenEndpoint)), e, component.Id);
        }

        return Results.Redirect(component.Link.AbsoluteUri);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Opening component {ComponentId} was not recorded; the maker was sent on")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string componentId);
}
