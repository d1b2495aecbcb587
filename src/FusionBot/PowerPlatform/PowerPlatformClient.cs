using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using FusionBot.Requests;

namespace FusionBot.PowerPlatform;

/// <summary>
/// Reads a tenant's Power Platform as an admin, app-only: environments and data policies (BAP), apps (Power Apps
/// admin), cloud flows (Power Automate admin) and Copilot Studio agents (each environment's Dataverse <c>bots</c>
/// table). Every list follows <c>nextLink</c> / <c>@odata.nextLink</c>; a 429 or 503 is retried after its Retry-After.
/// Methods are virtual so a test can stand in for the service.
/// </summary>
public partial class PowerPlatformClient
{
    private const string EnvironmentsPath = "providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=2020-10-01";
    private const string PoliciesPath = "providers/PowerPlatform.Governance/v2/policies?api-version=2018-01-01";
    private const string AgentsQuery = "api/data/v9.2/bots?$select=botid,name,createdon,modifiedon&$expand=owninguser($select=azureactivedirectoryobjectid,fullname)";

    private readonly HttpClient _http;
    private readonly TokenCredential _credential;
    private readonly PowerPlatformOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    protected PowerPlatformClient()
    {
        _http = null!;
        _credential = null!;
        _options = new PowerPlatformOptions();
        _time = TimeProvider.System;
        _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public PowerPlatformClient(HttpClient http, TokenCredential credential, PowerPlatformOptions options, TimeProvider time, ILogger<PowerPlatformClient> logger)
    {
        _http = http;
        _credential = credential;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The tenant's environments, the default one first.</summary>
    public virtual async Task<IReadOnlyList<PlatformEnvironment>> GetEnvironmentsAsync(CancellationToken cancellationToken = default)
    {
        var items = await ListAsync(new Uri(_options.BapUrl, EnvironmentsPath), _options.BapScope, cancellationToken);
        return [.. items.Select(ReadEnvironment).OrderByDescending(e => e.IsDefault).ThenBy(e => e.DisplayName, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The tenant's data policies with their connector groups and environment scope.</summary>
    public virtual async Task<IReadOnlyList<DlpPolicy>> GetDlpPoliciesAsync(CancellationToken cancellationToken = default)
    {
        var items = await ListAsync(new Uri(_options.BapUrl, PoliciesPath), _options.BapScope, cancellationToken);
        return [.. items.Select(ReadPolicy)];
    }

    /// <summary>Every canvas app of <paramref name="environment"/>, with its sharing; "everyone" is read from the app's permissions when it is shared with a group.</summary>
    public virtual async Task<IReadOnlyList<PlatformSolution>> GetAppsAsync(string environment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(environment);
        var basePath = $"providers/Microsoft.PowerApps/scopes/admin/environments/{Uri.EscapeDataString(environment)}/apps";
        var items = await ListAsync(new Uri(_options.PowerAppsUrl, basePath + "?api-version=2016-11-01"), _options.PowerAppsScope, cancellationToken);
        var apps = new List<PlatformSolution>(items.Count);
        foreach (var item in items)
        {
            var app = ReadApp(environment, item);
            if (app.SharedGroups > 0)
            {
                var permissions = await ListAsync(
                    new Uri(_options.PowerAppsUrl, $"{basePath}/{Uri.EscapeDataString(app.Id)}/permissions?api-version=2016-11-01"), _options.PowerAppsScope, cancellationToken);
                app = app with
                {
                    SharedWithEveryone = permissions.Any(p => string.Equals(Text(p["properties"]?["principal"]?["type"]), "Tenant", StringComparison.OrdinalIgnoreCase)),
                };
            }

            apps.Add(app);
        }

        return apps;
    }

    /// <summary>Every cloud flow of <paramref name="environment"/> with the connectors its definition summary names.</summary>
    public virtual async Task<IReadOnlyList<PlatformSolution>> GetFlowsAsync(string environment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(environment);
        var items = await ListAsync(
            new Uri(_options.FlowUrl, $"providers/Microsoft.ProcessSimple/scopes/admin/environments/{Uri.EscapeDataString(environment)}/v2/flows?api-version=2016-11-01"),
            _options.FlowScope, cancellationToken);
        return [.. items.Select(item => ReadFlow(environment, item))];
    }

    /// <summary>The Copilot Studio agents in the environment's Dataverse (none when it has no Dataverse).</summary>
    public virtual async Task<IReadOnlyList<PlatformSolution>> GetAgentsAsync(PlatformEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.DataverseUrl is not { } dataverse)
        {
            return [];
        }

        var root = new Uri(dataverse.ToString().TrimEnd('/') + "/");
        var items = await ListAsync(new Uri(root, AgentsQuery), $"{dataverse.GetLeftPart(UriPartial.Authority)}/.default", cancellationToken);
        return [.. items.Select(item => new PlatformSolution
        {
            Kind = SolutionKind.Agent,
            EnvironmentName = environment.Name,
            Id = Text(item["botid"]) ?? "",
            DisplayName = Text(item["name"]) ?? "",
            OwnerObjectId = Text(item["owninguser"]?["azureactivedirectoryobjectid"]),
            OwnerName = Text(item["owninguser"]?["fullname"]),
            CreatedAt = Time(item["createdon"]),
            ModifiedAt = Time(item["modifiedon"]),
        })];
    }

    /// <summary>Every item of a paged list: <c>value</c> of each page, following <c>nextLink</c> or <c>@odata.nextLink</c>.</summary>
    private async Task<IReadOnlyList<JsonNode>> ListAsync(Uri first, string scope, CancellationToken cancellationToken)
    {
        var items = new List<JsonNode>();
        Uri? next = first;
        while (next is not null)
        {
            var page = await GetAsync(next, scope, cancellationToken);
            items.AddRange(page["value"]?.AsArray().OfType<JsonNode>() ?? []);
            var link = Text(page["nextLink"]) ?? Text(page["@odata.nextLink"]);
            next = string.IsNullOrEmpty(link) ? null : new Uri(link, UriKind.Absolute);
        }

        return items;
    }

    private async Task<JsonNode> GetAsync(Uri uri, string scope, CancellationToken cancellationToken)
    {
        var token = await _credential.GetTokenAsync(new TokenRequestContext([scope], tenantId: _options.TenantId), cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                return JsonNode.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body) ?? new JsonObject();
            }

            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                && attempt < _options.MaxAttempts && RetryAfter(response, attempt) is { } wait)
            {
                LogThrottled(_logger, uri.Host, (int)response.StatusCode, wait.TotalSeconds);
                await Task.Delay(wait, _time, cancellationToken);
                continue;
            }

            throw await FailureAsync(uri, response, cancellationToken);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta
            ?? (retryAfter?.Date is { } date ? date - _time.GetUtcNow() : TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        return wait > _options.MaxRetryAfter ? null : wait;
    }

    private static async Task<PowerPlatformException> FailureAsync(Uri uri, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? code = null;
        try
        {
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            code = Text(body?["error"]?["code"]);
        }
        catch (JsonException)
        {
            // An error page instead of JSON: the status says enough.
        }

        return new PowerPlatformException(response.StatusCode, code,
            $"GET {uri.Host}{uri.AbsolutePath} answered {(int)response.StatusCode}{(code is null ? "" : " " + code)}.");
    }

    private static PlatformEnvironment ReadEnvironment(JsonNode item)
    {
        var properties = item["properties"];
        var dataverse = Text(properties?["linkedEnvironmentMetadata"]?["instanceApiUrl"]);
        return new PlatformEnvironment(
            Text(item["name"]) ?? "",
            Text(properties?["displayName"]) ?? Text(item["name"]) ?? "",
            properties?["isDefault"] is JsonValue isDefault && isDefault.TryGetValue<bool>(out var d) && d,
            Text(properties?["environmentSku"]) ?? "",
            Uri.TryCreate(dataverse, UriKind.Absolute, out var url) ? url : null);
    }

    private static DlpPolicy ReadPolicy(JsonNode item)
    {
        var definition = item["policyDefinition"] ?? item;
        var connectors = new Dictionary<string, DlpConnector>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in definition["connectorGroups"]?.AsArray().OfType<JsonNode>() ?? [])
        {
            var classification = Text(group["classification"]) ?? DlpPolicy.NonBusiness;
            foreach (var connector in group["connectors"]?.AsArray().OfType<JsonNode>() ?? [])
            {
                if (ApiName(Text(connector["id"])) is { Length: > 0 } name)
                {
                    connectors[name] = new DlpConnector(Text(connector["name"]) ?? name, classification);
                }
            }
        }

        // Rules are applied in order; the catch-all pattern decides for custom connectors nobody listed.
        var catchAll = item["customConnectorUrlPatternsDefinition"]?["rules"]?.AsArray().OfType<JsonNode>()
            .Where(r => Text(r["pattern"]) == "*")
            .Select(r => Text(r["customConnectorRuleClassification"]))
            .FirstOrDefault();
        return new DlpPolicy(
            Text(definition["name"]) ?? "",
            Text(definition["displayName"]) ?? Text(definition["name"]) ?? "",
            Text(definition["environmentType"]) ?? "AllEnvironments",
            [.. definition["environments"]?.AsArray().OfType<JsonNode>().Select(e => Text(e["name"]) ?? "").Where(n => n.Length > 0) ?? []],
            Text(definition["defaultConnectorsClassification"]) ?? DlpPolicy.NonBusiness,
            connectors,
            catchAll is null or "Ignore" ? null : catchAll);
    }

    private static PlatformSolution ReadApp(string environment, JsonNode item)
    {
        var properties = item["properties"];
        var connectors = properties?["connectionReferences"] is JsonObject references
            ? references.Select(r => r.Value).OfType<JsonNode>()
                .Select(r => new PlatformConnectorUse(ApiName(Text(r["id"])) ?? "", Text(r["displayName"]) ?? "", r["isCustomApiConnection"] is JsonValue custom && custom.TryGetValue<bool>(out var c) && c))
                .Where(c => c.ApiName.Length > 0)
            : [];
        return new PlatformSolution
        {
            Kind = SolutionKind.App,
            EnvironmentName = environment,
            Id = Text(item["name"]) ?? "",
            DisplayName = Text(properties?["displayName"]) ?? "",
            OwnerObjectId = Text(properties?["owner"]?["id"]),
            OwnerName = Text(properties?["owner"]?["displayName"]),
            CreatedAt = Time(properties?["createdTime"]),
            ModifiedAt = Time(properties?["lastModifiedTime"]),
            Connectors = [.. connectors.DistinctBy(c => c.ApiName, StringComparer.OrdinalIgnoreCase)],
            SharedUsers = Count(properties?["sharedUsersCount"]),
            SharedGroups = Count(properties?["sharedGroupsCount"]),
        };
    }

    private static PlatformSolution ReadFlow(string environment, JsonNode item)
    {
        var properties = item["properties"];
        var summary = properties?["definitionSummary"];
        var operations = (summary?["triggers"]?.AsArray().OfType<JsonNode>() ?? []).Concat(summary?["actions"]?.AsArray().OfType<JsonNode>() ?? []);
        var fromSummary = operations
            .Select(o => o["api"])
            .OfType<JsonNode>()
            .Select(api => new PlatformConnectorUse(Text(api["name"]) ?? ApiName(Text(api["id"])) ?? "", Text(api["name"]) ?? "", IsCustomApi(Text(api["id"]))));
        // Built-in HTTP actions name no api; they are the "HTTP" connector to a data policy.
        var http = operations.Any(o => Text(o["type"]) is "Http" or "HttpWebhook")
            ? [new PlatformConnectorUse("http", "HTTP", false)]
            : Array.Empty<PlatformConnectorUse>();
        return new PlatformSolution
        {
            Kind = SolutionKind.Flow,
            EnvironmentName = environment,
            Id = Text(item["name"]) ?? "",
            DisplayName = Text(properties?["displayName"]) ?? "",
            OwnerObjectId = Text(properties?["creator"]?["objectId"]),
            CreatedAt = Time(properties?["createdTime"]),
            ModifiedAt = Time(properties?["lastModifiedTime"]),
            Connectors = [.. fromSummary.Concat(http).Where(c => c.ApiName.Length > 0).DistinctBy(c => c.ApiName, StringComparer.OrdinalIgnoreCase)],
        };
    }

    /// <summary><c>/providers/Microsoft.PowerApps/apis/shared_sql</c> → <c>shared_sql</c>.</summary>
    private static string? ApiName(string? id) => id?.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();

    // Custom connectors live under the environment (…/environments/{env}/apis/…), shared ones under the provider.
    private static bool IsCustomApi(string? id) => id?.Contains("/environments/", StringComparison.OrdinalIgnoreCase) == true;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int Count(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var count) ? count : 0;

    private static DateTimeOffset? Time(JsonNode? node) =>
        DateTimeOffset.TryParse(Text(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Host} answered {Status}; retrying after {Seconds} s")]
    private static partial void LogThrottled(ILogger logger, string host, int status, double seconds);
}
