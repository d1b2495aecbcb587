using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FusionBot.TestKit.PowerPlatform;

/// <summary>
/// One answer the app gave: <c>UpdatePreDeploymentStepStatus</c> or a delegated deployment's <c>UpdateApprovalStatus</c>,
/// with the new status (20 completed, 30 rejected) and the comments.
/// </summary>
public sealed record PreDeploymentAnswer(string StageRunId, int Status, string Comments, string Action = FakePipelinesHost.PreDeploymentAction);

/// <summary>
/// A Power Platform pipelines host on loopback, as its Dataverse Web API (v9.2) serves it: a client-credentials token
/// endpoint; <c>GET deploymentstageruns(id)</c> with the stage and its target environment expanded; and the unbound
/// action <c>POST UpdatePreDeploymentStepStatus</c> (StageRunId, PreDeploymentStepStatus, Comments) answered 204, or
/// with a Dataverse error body. Also builds the <c>OnPreDeploymentStarted</c> trigger body a cloud flow forwards.
/// </summary>
public sealed class FakePipelinesHost : IAsyncDisposable
{
    public const string AccessToken = "fake-dataverse-token";
    public const string PreDeploymentAction = "UpdatePreDeploymentStepStatus";
    public const string ApprovalAction = "UpdateApprovalStatus";

    private readonly ConcurrentDictionary<string, (string Artifact, string Stage, string EnvironmentId, string EnvironmentName)> runs =
        new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<PreDeploymentAnswer> answers = new();
    private readonly ConcurrentQueue<string> unauthorised = new();
    private WebApplication? app;
    private int failAnswers;

    private FakePipelinesHost()
    {
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every answer the host accepted, in order.</summary>
    public IReadOnlyList<PreDeploymentAnswer> Answers => [.. answers];

    /// <summary>Calls that came without the host's bearer token (should stay empty).</summary>
    public IReadOnlyList<string> UnauthorisedCalls => [.. unauthorised];

    /// <summary>Settings that point the app at this host (the tenant and callers are the test's to choose).</summary>
    public IReadOnlyDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Pipelines:HostUrl"] = BaseUrl,
        ["Pipelines:TokenEndpoint"] = BaseUrl + "/tenant/oauth2/v2.0/token",
    };

    public static async Task<FakePipelinesHost> StartAsync()
    {
        var host = new FakePipelinesHost();
        (host.app, host.BaseUrl) = await LoopbackServer.StartAsync(host.MapRoutes).ConfigureAwait(false);
        return host;
    }

    /// <summary>A deployment of <paramref name="artifactName"/> (the solution's unique name) through a stage to an environment; returns its stage run id.</summary>
    public string AddStageRun(string artifactName, string stageName, string environmentId, string environmentName)
    {
        var id = Guid.NewGuid().ToString("D");
        runs[id] = (artifactName, stageName, environmentId, environmentName);
        return id;
    }

    /// <summary>The next <paramref name="count"/> answers fail with 503 and a Dataverse error body, as a throttled or busy host does.</summary>
    public void FailNextAnswers(int count) => Interlocked.Exchange(ref failAnswers, count);

    /// <summary>The body of the Dataverse trigger <c>OnPreDeploymentStarted</c> (InputParameters, OutputParameters) for a stage run.</summary>
    public JsonObject PreDeploymentStarted(string stageRunId)
    {
        var run = runs[stageRunId];
        return new JsonObject
        {
            ["ActionName"] = "OnPreDeploymentStarted",
            ["InputParameters"] = new JsonObject { ["StageRunId"] = stageRunId },
            ["OutputParameters"] = new JsonObject
            {
                ["DeploymentStageRunName"] = $"{run.Artifact} to {run.Stage}",
                ["DeploymentStageName"] = run.Stage,
                ["DeploymentPipelineName"] = "Contoso pipeline",
                ["ArtifactName"] = run.Artifact,
                ["PreDeploymentStepStatus"] = 10,
                ["DeploymentNotes"] = "",
            },
        };
    }

    /// <summary>The first answer for <paramref name="stageRunId"/>; polls until it comes or <paramref name="timeout"/> (default 15 s) passes.</summary>
    public async Task<PreDeploymentAnswer> WaitForAnswerAsync(string stageRunId, TimeSpan? timeout = null)
    {
        var until = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTimeOffset.UtcNow < until)
        {
            if (answers.FirstOrDefault(a => a.StageRunId == stageRunId) is { } answer)
            {
                return answer;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException($"No answer for stage run {stageRunId}. Answers: {string.Join("; ", answers.Select(a => $"{a.StageRunId}={a.Status}"))}");
    }

    private void MapRoutes(WebApplication web)
    {
        web.MapPost("/tenant/oauth2/v2.0/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
            return form["grant_type"] == "client_credentials" && form["scope"].ToString() == BaseUrl + "/.default"
                ? Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["access_token"] = AccessToken })
                : Results.Json(new JsonObject { ["error"] = "invalid_scope" }, statusCode: StatusCodes.Status400BadRequest);
        });

        web.MapGet("/api/data/v9.2/deploymentstageruns({id})", (HttpContext context, string id) =>
        {
            if (!Authorised(context))
            {
                return Results.Json(Error("0x80040220", "Principal user is missing prvReaddeploymentstagerun privilege."), statusCode: 401);
            }

            if (!runs.TryGetValue(id, out var run))
            {
                return Results.Json(Error("0x80040217", $"deploymentstagerun With Id = {id} Does Not Exist"), statusCode: 404);
            }

            return Results.Json(new JsonObject
            {
                ["@odata.context"] = BaseUrl + "/api/data/v9.2/$metadata#deploymentstageruns(artifactname,name,deploymentstageid(name,targetdeploymentenvironmentid(environmentid,name)))/$entity",
                ["deploymentstagerunid"] = id,
                ["artifactname"] = run.Artifact,
                ["name"] = $"{run.Artifact} to {run.Stage}",
                ["deploymentstageid"] = new JsonObject
                {
                    ["deploymentstageid"] = Guid.NewGuid().ToString("D"),
                    ["name"] = run.Stage,
                    ["targetdeploymentenvironmentid"] = new JsonObject
                    {
                        ["deploymentenvironmentid"] = Guid.NewGuid().ToString("D"),
                        ["environmentid"] = run.EnvironmentId,
                        ["name"] = run.EnvironmentName,
                    },
                },
            });
        });

        // Typed as route handlers (not RequestDelegates), so the IResult they return is written to the response.
        web.MapPost("/api/data/v9.2/" + PreDeploymentAction,
            (Func<HttpContext, Task<IResult>>)(context => AnswerAsync(context, PreDeploymentAction, "PreDeploymentStepStatus", "Comments")));
        web.MapPost("/api/data/v9.2/" + ApprovalAction,
            (Func<HttpContext, Task<IResult>>)(context => AnswerAsync(context, ApprovalAction, "ApprovalStatus", "ApprovalComments")));
    }

    private async Task<IResult> AnswerAsync(HttpContext context, string action, string statusParameter, string commentsParameter)
    {
        if (!Authorised(context))
        {
            return Results.Json(Error("0x80040220", "Principal user is missing prvWritedeploymentstagerun privilege."), statusCode: 401);
        }

        if (Interlocked.Decrement(ref failAnswers) >= 0)
        {
            return Results.Json(Error("0x80072321", "The server is busy. Try again later."), statusCode: 503);
        }

        var body = await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) as JsonObject;
        var id = body?["StageRunId"]?.GetValue<string>();
        var status = body?[statusParameter]?.GetValue<int>();
        if (id is null || !runs.ContainsKey(id) || status is not (20 or 30))
        {
            return Results.Json(Error("0x80040203", $"Invalid StageRunId or {statusParameter}."), statusCode: 400);
        }

        answers.Enqueue(new PreDeploymentAnswer(id, status.Value, body?[commentsParameter]?.GetValue<string>() ?? "", action));
        return Results.NoContent();
    }

    private bool Authorised(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() == "Bearer " + AccessToken)
        {
            return true;
        }

        unauthorised.Enqueue(context.Request.Path);
        return false;
    }

    private static JsonObject Error(string code, string message) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
