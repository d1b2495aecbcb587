using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.Features.Outbox;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Pipelines;

/// <summary>
/// POST /api/pipelines/predeployment: the pipelines host's <c>OnPreDeploymentStarted</c> event, forwarded by a cloud
/// flow in the host (the trigger's body, <c>InputParameters.StageRunId</c>) or a Dataverse service endpoint (the
/// RemoteExecutionContext, <c>InputParameters</c> as key/value pairs). Authenticated (<see cref="PipelineCallers"/>);
/// the call is stored as an outbox item keyed by the stage run and answered 202 at once, so the pipeline gets its
/// answer through <c>UpdatePreDeploymentStepStatus</c> however busy the bot is, and a repeated event is decided once.
/// </summary>
public static class PreDeploymentEndpoint
{
    public const string Path = "/api/pipelines/predeployment";

    /// <summary>A delegated deployment's approval step (<c>OnApprovalStarted</c>), decided the same way and answered with <c>UpdateApprovalStatus</c>.</summary>
    public const string ApprovalPath = "/api/pipelines/approval";
    private const int MaxBodyBytes = 256 * 1024;

    public static IEndpointConventionBuilder MapPipelinesGate(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(ApprovalPath, (HttpContext context, PipelineCallers callers, WorkOutbox outbox, IOptions<PipelinesOptions> options) =>
            ReceiveAsync(context, callers, outbox, options, GateStep.Approval));
        return endpoints.MapPost(Path, (HttpContext context, PipelineCallers callers, WorkOutbox outbox, IOptions<PipelinesOptions> options) =>
            ReceiveAsync(context, callers, outbox, options, GateStep.PreDeployment));
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, PipelineCallers callers, WorkOutbox outbox, IOptions<PipelinesOptions> options,
        GateStep step)
    {
        if (!options.Value.IsConfigured)
        {
            return Results.NotFound();
        }

        if (await callers.AuthenticateAsync(context.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null,
                context.RequestAborted) is not { } tenant)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Unauthorized();
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return Results.BadRequest("The body is not JSON.");
        }

        if (StageRunId(body) is not { } stageRunId)
        {
            return Results.BadRequest("InputParameters.StageRunId (a GUID) is missing.");
        }

        await outbox.EnqueueAsync(PipelineWork.GateId(tenant, stageRunId, step), PipelineWork.Gate, new GateCall(tenant, stageRunId, step),
            cancellationToken: context.RequestAborted);
        return Results.Accepted();
    }

    /// <summary>The stage run, from the flow's trigger body or a RemoteExecutionContext; normalised so one run has one id.</summary>
    internal static string? StageRunId(JsonNode? body)
    {
        var parameters = body is JsonObject root ? root["InputParameters"] : null;
        var value = parameters switch
        {
            JsonObject named => named["StageRunId"],
            JsonArray pairs => pairs.OfType<JsonObject>()
                .FirstOrDefault(p => p["key"] is JsonValue key && key.TryGetValue<string>(out var k) && k == "StageRunId")?["value"],
            _ => null,
        };
        return value is JsonValue text && text.TryGetValue<string>(out var id) && Guid.TryParse(id, out var guid) ? guid.ToString("D") : null;
    }
}
