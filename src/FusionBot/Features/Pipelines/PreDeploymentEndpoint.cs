using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.Features.Outbox;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Pipelines;

/// <summary>
/// POST /api/pipelines/predeployment: the pipelines host's <c>OnPreDeploymentStarted</c> event, forwarded by a cloud
/// flow in the host (the trigger's body, <c>InputParameters.StageRunId</c>) or a Dataverse service endpoint (the
/// RemoteExecutionContext, <c>InputParameters</c> as key/value pairs). Authenticated by an Entra token
/// (<see cref="PipelineCallers"/>) or a signature (<see cref="PipelineSignatures"/>);
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
        endpoints.MapPost(ApprovalPath, (HttpContext context, PipelineCallers callers, PipelineSignatures signatures, WorkOutbox outbox,
            IOptions<PipelinesOptions> options) => ReceiveAsync(context, callers, signatures, outbox, options, GateStep.Approval));
        return endpoints.MapPost(Path, (HttpContext context, PipelineCallers callers, PipelineSignatures signatures, WorkOutbox outbox,
            IOptions<PipelinesOptions> options) => ReceiveAsync(context, callers, signatures, outbox, options, GateStep.PreDeployment));
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, PipelineCallers callers, PipelineSignatures signatures, WorkOutbox outbox,
        IOptions<PipelinesOptions> options, GateStep step)
    {
        if (!options.Value.IsConfigured)
        {
            return Results.NotFound();
        }

        // Read whole before authenticating: a signature is over the raw bytes.
        if (context.Request.ContentLength > MaxBodyBytes || await ReadBodyAsync(context.Request, context.RequestAborted) is not { } raw)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        // A call brings a token or a signature; a token that fails is not given a second chance as a signature.
        var headers = context.Request.Headers;
        var tenant = headers.Authorization.ToString() is { Length: > 0 } authorization
            ? await callers.AuthenticateAsync(authorization, context.RequestAborted)
            : await signatures.AuthenticateAsync(Header(headers, PipelineSignatures.TimestampHeader), Header(headers, PipelineSignatures.SignatureHeader),
                raw, context.RequestAborted);
        if (tenant is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Unauthorized();
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(raw.Span);
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

    private static string? Header(IHeaderDictionary headers, string name) => headers[name].ToString() is { Length: > 0 } value ? value : null;

    /// <summary>The body's bytes, or null when it is longer than <see cref="MaxBodyBytes"/> (a chunked body has no length to check first).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
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
