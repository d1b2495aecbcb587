using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Backlog;

/// <summary>
/// POST /api/backlog/servicehook: Azure DevOps' <c>workitem.updated</c> service hook (Web Hooks consumer, basic
/// authentication with <see cref="BacklogOptions.ServiceHookPassword"/>; anything else is 401). When a FusionBot item
/// reaches a done state, its Tier 4 request in development moves to Delivered (credited to FusionBot, the thread and the
/// maker told), and a Tier 3 request records that its item is done. Other events and items are acknowledged and ignored.
/// </summary>
public static partial class ServiceHookEndpoint
{
    public const string Path = "/api/backlog/servicehook";
    private const int MaxBodyBytes = 512 * 1024;
    private const int MaxAttempts = 5;
    private const string LogCategory = "FusionBot.Features.Backlog.ServiceHookEndpoint";

    public static IEndpointConventionBuilder MapBacklogServiceHook(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPost(Path, ReceiveAsync);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, IOptions<BacklogOptions> options, BacklogIndex index, IRequestStore requests,
        RequestWorkflow workflow, TimeProvider time, ILoggerFactory loggers)
    {
        var o = options.Value;
        if (!o.IsConfigured)
        {
            return Results.NotFound();
        }

        if (!Authenticated(context.Request.Headers.Authorization.ToString(), o.ServiceHookPassword!))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"FusionBot\"";
            return Results.Unauthorized();
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return Results.BadRequest("The body is not JSON.");
        }

        if (Text(body?["eventType"]) != "workitem.updated" || body?["resource"] is not JsonObject resource
            || ItemId(resource) is not { } itemId || NewState(resource) is not { } state
            || !o.EffectiveDoneStates.Contains(state, StringComparer.OrdinalIgnoreCase))
        {
            return Results.Ok();
        }

        var tenant = o.TenantId!;
        if (await index.RequestOfAsync(tenant, AzureDevOpsBacklog.ProviderName, itemId, context.RequestAborted) is not { } requestId)
        {
            return Results.Ok();
        }

        for (var attempt = 1; ; attempt++)
        {
            var request = await requests.GetAsync(tenant, requestId, context.RequestAborted);
            if (request is null)
            {
                return Results.Ok();
            }

            if (RequestLifecycle.Allows(request.Status, request.Tier, RequestAction.Deliver, RequestRole.System))
            {
                try
                {
                    await workflow.ApplyAsync(request, [Delivered(request, itemId, state)], context.RequestAborted);
                    return Results.Ok();
                }
                catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
                {
                    continue;
                }
            }

            if (request.Status == RequestStatus.Approved)
            {
                await workflow.RecordAsync(new RequestHistoryEvent
                {
                    RequestId = request.Id,
                    At = time.GetUtcNow(),
                    Action = RequestActions.BacklogItemDone,
                    Actor = RequestActors.FusionBot,
                    StatusAfter = request.Status,
                    TierAfter = request.Tier,
                    Comment = $"{AzureDevOpsBacklog.ProviderName} #{itemId} is {state}.",
                }, "backlog-done", context.RequestAborted);
            }

            var logger = loggers.CreateLogger(LogCategory);
            LogNotDelivered(logger, request.Id, request.Status);
            return Results.Ok();
        }
    }

    private static RequestStep Delivered(GovernanceRequest request, string itemId, string state) =>
        new(RequestAction.Deliver, RequestActors.FusionBot, RequestRole.System)
        {
            Comment = $"{AzureDevOpsBacklog.ProviderName} #{itemId} is {state}.",
            ThreadText = $"**FusionBot** marked it delivered: its backlog item #{itemId} is {state}.",
            MakerText = $"🎉 {request.Id} · {Cards.CardText.EscapeLine(request.Title)} was **delivered**: its backlog item #{itemId} is {state}.",
        };

    /// <summary>Basic authentication whose password is the configured one (Azure DevOps cannot sign its hooks); the user name is not checked.</summary>
    private static bool Authenticated(string header, string password)
    {
        const string Prefix = "Basic ";
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[Prefix.Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        // Compared as hashes, so neither the bytes nor the length of the password shows in how long a wrong guess takes.
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(decoded[(colon + 1)..])), SHA256.HashData(Encoding.UTF8.GetBytes(password)));
    }

    /// <summary>The work item: <c>resource.workItemId</c> of an update, else the revision's id.</summary>
    private static string? ItemId(JsonObject resource) =>
        (resource["workItemId"] ?? resource["revision"]?["id"]) is JsonValue value && value.TryGetValue<int>(out var id) && id > 0
            ? id.ToString(CultureInfo.InvariantCulture)
            : null;

    /// <summary>The state the update moved to: <c>fields["System.State"].newValue</c>, else the revision's state.</summary>
    private static string? NewState(JsonObject resource) =>
        Text(resource["fields"]?["System.State"]?["newValue"]) ?? Text(resource["revision"]?["fields"]?["System.State"]);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Backlog item of {RequestId} is done; the request ({Status}) is not one FusionBot delivers")]
    private static partial void LogNotDelivered(ILogger logger, string requestId, RequestStatus status);
}
