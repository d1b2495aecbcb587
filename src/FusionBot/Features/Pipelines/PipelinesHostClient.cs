using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using FusionBot.Integrations;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Pipelines;

/// <summary>What FusionBot reads of a deployment stage run: the solution (artifact) and where it goes.</summary>
public sealed record StageRun(string StageRunId, string ArtifactName, string TargetEnvironmentId, string TargetEnvironmentName);

/// <summary>
/// The gated step a call is about: the pre-deployment step (<c>OnPreDeploymentStarted</c>, answered with
/// <c>UpdatePreDeploymentStepStatus</c>) or a delegated deployment's approval (<c>OnApprovalStarted</c>, answered with
/// <c>UpdateApprovalStatus</c>).
/// </summary>
public enum GateStep
{
    PreDeployment,
    Approval,
}

/// <summary>The status <c>UpdatePreDeploymentStepStatus</c> (and <c>UpdateApprovalStatus</c>) sets: 20 completes the step (the deployment proceeds), 30 rejects it.</summary>
public enum PreDeploymentStepStatus
{
    Completed = 20,
    Rejected = 30,
}

/// <summary>
/// The pipelines host's Dataverse Web API (v9.2), as the bot's app identity: reads a stage run with its stage's target
/// environment (<c>deploymentstageruns</c> → <c>deploymentstageid</c> → <c>targetdeploymentenvironmentid</c>), and answers the
/// pre-deployment step with the unbound action <c>UpdatePreDeploymentStepStatus</c> (StageRunId, PreDeploymentStepStatus, Comments).
/// </summary>
public sealed class PipelinesHostClient(IHttpClientFactory httpClientFactory, AppTokens tokens, IOptions<PipelinesOptions> options)
{
    public const string HttpClientName = "FusionBot.Pipelines.Dataverse";

    // Action parameters are named as Dataverse declares them (PascalCase), not in the web's camelCase.
    private static readonly System.Text.Json.JsonSerializerOptions ActionJson = new(System.Text.Json.JsonSerializerDefaults.General);

    public async Task<StageRun?> GetStageRunAsync(string stageRunId, CancellationToken cancellationToken = default)
    {
        var path = $"deploymentstageruns({Uri.EscapeDataString(stageRunId)})?$select=artifactname"
            + "&$expand=deploymentstageid($select=deploymentstageid;$expand=targetdeploymentenvironmentid($select=environmentid,name))";
        using var request = await RequestAsync(HttpMethod.Get, path, cancellationToken);
        using var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, "reading the stage run", cancellationToken);
        var run = await response.Content.ReadFromJsonAsync<StageRunRow>(cancellationToken);
        var environment = run?.Stage?.Target;
        return run?.ArtifactName is { Length: > 0 } artifact && environment?.EnvironmentId is { Length: > 0 } environmentId
            ? new StageRun(stageRunId, artifact, environmentId, environment.Name ?? environmentId)
            : throw new PipelinesHostException($"Stage run {stageRunId} has no artifact or target environment.", null);
    }

    /// <summary>Answers the step: <c>UpdatePreDeploymentStepStatus</c> (StageRunId, PreDeploymentStepStatus, Comments) or <c>UpdateApprovalStatus</c> (StageRunId, ApprovalStatus, ApprovalComments).</summary>
    public async Task AnswerAsync(GateStep step, string stageRunId, PreDeploymentStepStatus status, string comments, CancellationToken cancellationToken = default)
    {
        using var request = await RequestAsync(HttpMethod.Post, step == GateStep.Approval ? "UpdateApprovalStatus" : "UpdatePreDeploymentStepStatus", cancellationToken);
        request.Content = step == GateStep.Approval
            ? JsonContent.Create(new UpdateApproval(stageRunId, (int)status, comments), options: ActionJson)
            : JsonContent.Create(new UpdateStepStatus(stageRunId, (int)status, comments), options: ActionJson);
        using var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, "answering the gated step", cancellationToken);
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var host = options.Value.HostUrl ?? throw new InvalidOperationException("Pipelines:HostUrl is not set.");
        var root = host.GetLeftPart(UriPartial.Authority);
        var token = await tokens.GetAsync(root + "/.default", options.Value.TokenEndpoint, cancellationToken);
        var request = new HttpRequestMessage(method, new Uri(new Uri(root + "/"), "api/data/v9.2/" + path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("OData-MaxVersion", "4.0");
        request.Headers.Add("OData-Version", "4.0");
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        // Dataverse explains itself as {"error":{"code","message"}}; the message names records, never people.
        var error = await ReadErrorAsync(response, cancellationToken);
        throw new PipelinesHostException($"The pipelines host answered {(int)response.StatusCode} {what}{(error is null ? "" : $": {error}")}.",
            (int)response.StatusCode);
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<ErrorBody>(cancellationToken))?.Error?.Code;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private sealed record UpdateStepStatus(string StageRunId, int PreDeploymentStepStatus, string Comments);

    private sealed record UpdateApproval(string StageRunId, int ApprovalStatus, string ApprovalComments);

    private sealed class StageRunRow
    {
        [JsonPropertyName("artifactname")] public string? ArtifactName { get; set; }
        [JsonPropertyName("deploymentstageid")] public StageRow? Stage { get; set; }
    }

    private sealed class StageRow
    {
        [JsonPropertyName("targetdeploymentenvironmentid")] public EnvironmentRow? Target { get; set; }
    }

    private sealed class EnvironmentRow
    {
        [JsonPropertyName("environmentid")] public string? EnvironmentId { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
    }

    private sealed class ErrorBody
    {
        [JsonPropertyName("error")] public ErrorDetail? Error { get; set; }
    }

    private sealed class ErrorDetail
    {
        [JsonPropertyName("code")] public string? Code { get; set; }
    }
}

/// <summary>The pipelines host refused or failed a call; <see cref="Status"/> is its HTTP status, when it answered.</summary>
public sealed class PipelinesHostException(string message, int? status) : Exception(message)
{
    public int? Status { get; } = status;
}
