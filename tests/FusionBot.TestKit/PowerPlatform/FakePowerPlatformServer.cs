using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FusionBot.TestKit.PowerPlatform;

/// <summary>One call the app made to the fake Power Platform: path and query, and the bearer token it carried.</summary>
public sealed record PlatformCall(string PathAndQuery, string? Authorization);

/// <summary>
/// The Power Platform admin APIs on loopback, serving their documented shapes from a tenant the test builds:
/// BAP environments (<c>/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments</c>), data policies
/// (<c>/providers/PowerPlatform.Governance/v2/policies</c>: policyDefinition with connectorGroups, environmentType,
/// environments, defaultConnectorsClassification; customConnectorUrlPatternsDefinition), Power Apps admin apps and
/// their permissions, Power Automate admin flows (<c>/v2/flows</c> with definitionSummary), and each environment's
/// Dataverse <c>bots</c> table under <c>/dataverse/{environment}</c>. Lists are paged by <see cref="PageSize"/>
/// with <c>nextLink</c> (Dataverse: <c>@odata.nextLink</c>); <see cref="Throttle"/> answers 429 with Retry-After.
/// Every call must carry <see cref="AccessToken"/>.
/// </summary>
public sealed class FakePowerPlatformServer : IAsyncDisposable
{
    public const string AccessToken = "fake-platform-token";

    private readonly ConcurrentQueue<PlatformCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _throttles = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _environments = [];
    private readonly List<JsonObject> _policies = [];
    private readonly ConcurrentDictionary<string, List<JsonObject>> _apps = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, List<JsonObject>> _flows = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, List<JsonObject>> _agents = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _deniedDataverse = new(StringComparer.OrdinalIgnoreCase);
    private WebApplication? _app;

    private FakePowerPlatformServer()
    {
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Items per page of every list.</summary>
    public int PageSize { get; set; } = 5;

    public IReadOnlyList<PlatformCall> Calls => [.. _calls];

    /// <summary>The app's <c>Platform</c> settings for this fake (every admin API on the one loopback address).</summary>
    public IReadOnlyDictionary<string, string?> Configuration(string tenantId) => new Dictionary<string, string?>
    {
        ["Platform:TenantId"] = tenantId,
        ["Platform:BapUrl"] = BaseUrl,
        ["Platform:PowerAppsUrl"] = BaseUrl,
        ["Platform:FlowUrl"] = BaseUrl,
    };

    public static async Task<FakePowerPlatformServer> StartAsync()
    {
        var server = new FakePowerPlatformServer();
        (server._app, server.BaseUrl) = await LoopbackServer.StartAsync(server.MapRoutes).ConfigureAwait(false);
        return server;
    }

    /// <summary>The next <paramref name="times"/> calls whose path contains <paramref name="pathFragment"/> answer 429 with Retry-After.</summary>
    public void Throttle(string pathFragment, int times = 1) => _throttles[pathFragment] = times;

    /// <summary>The environment's Dataverse answers 403, as it does to an identity with no application user there.</summary>
    public void DenyDataverse(string environment) => _deniedDataverse[environment] = true;

    public void AddEnvironment(string name, string displayName, string sku, bool isDefault = false, bool withDataverse = true)
    {
        var properties = new JsonObject
        {
            ["displayName"] = displayName,
            ["isDefault"] = isDefault,
            ["environmentSku"] = sku,
            ["createdTime"] = "2024-01-10T08:00:00Z",
        };
        if (withDataverse)
        {
            properties["linkedEnvironmentMetadata"] = new JsonObject
            {
                ["instanceUrl"] = $"{BaseUrl}/dataverse/{name}/",
                ["instanceApiUrl"] = $"{BaseUrl}/dataverse/{name}",
            };
        }

        lock (_environments)
        {
            _environments.Add(new JsonObject
            {
                ["id"] = $"/providers/Microsoft.BusinessAppPlatform/environments/{name}",
                ["name"] = name,
                ["type"] = "Microsoft.BusinessAppPlatform/scopes/environments",
                ["location"] = "europe",
                ["properties"] = properties,
            });
        }
    }

    /// <param name="environmentType">AllEnvironments, OnlyEnvironments or ExceptEnvironments (of <paramref name="environments"/>).</param>
    /// <param name="customConnectors">The group the catch-all custom connector pattern puts custom connectors in; null: Ignore.</param>
    public void AddPolicy(string name, string displayName, string environmentType, IEnumerable<string> environments, string defaultClassification,
        IEnumerable<string> business, IEnumerable<string> nonBusiness, IEnumerable<string> blocked, string? customConnectors = null)
    {
        static JsonObject Group(string classification, IEnumerable<string> apiNames) => new()
        {
            ["classification"] = classification,
            ["connectors"] = new JsonArray([.. apiNames.Select(api => (JsonNode)new JsonObject
            {
                ["id"] = $"/providers/Microsoft.PowerApps/apis/{api}",
                ["name"] = ConnectorName(api),
                ["type"] = "Microsoft.PowerApps/apis",
            })]),
        };

        lock (_policies)
        {
            _policies.Add(new JsonObject
            {
                ["policyDefinition"] = new JsonObject
                {
                    ["name"] = name,
                    ["displayName"] = displayName,
                    ["defaultConnectorsClassification"] = defaultClassification,
                    ["connectorGroups"] = new JsonArray(Group("Confidential", business), Group("General", nonBusiness), Group("Blocked", blocked)),
                    ["environmentType"] = environmentType,
                    ["environments"] = new JsonArray([.. environments.Select(e => (JsonNode)new JsonObject
                    {
                        ["name"] = e,
                        ["id"] = $"/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/{e}",
                        ["type"] = "Microsoft.BusinessAppPlatform/scopes/environments",
                    })]),
                    ["createdBy"] = new JsonObject { ["displayName"] = "admin" },
                    ["createdTime"] = "2024-02-01T00:00:00Z",
                    ["etag"] = Guid.NewGuid().ToString(),
                    ["isLegacySchemaVersion"] = false,
                },
                ["customConnectorUrlPatternsDefinition"] = new JsonObject
                {
                    ["rules"] = new JsonArray(new JsonObject
                    {
                        ["order"] = 1,
                        ["customConnectorRuleClassification"] = customConnectors ?? "Ignore",
                        ["pattern"] = "*",
                    }),
                },
            });
        }
    }

    /// <param name="connectors">Api names (<c>shared_sql</c>); a name starting with "custom:" is a custom connector.</param>
    public void AddApp(string environment, string id, string displayName, string ownerObjectId, string ownerName, DateTimeOffset created,
        IEnumerable<string> connectors, int sharedUsers = 0, int sharedGroups = 0, bool everyone = false)
    {
        var references = new JsonObject();
        foreach (var api in connectors)
        {
            var custom = api.StartsWith("custom:", StringComparison.Ordinal);
            var apiName = custom ? api["custom:".Length..] : api;
            references[$"{apiName}-ref"] = new JsonObject
            {
                ["id"] = custom ? $"/providers/Microsoft.PowerApps/apis/{apiName}" : $"/providers/microsoft.powerapps/apis/{apiName}",
                ["displayName"] = ConnectorName(apiName),
                ["isCustomApiConnection"] = custom,
            };
        }

        var app = new JsonObject
        {
            ["name"] = id,
            ["id"] = $"/providers/Microsoft.PowerApps/apps/{id}",
            ["type"] = "Microsoft.PowerApps/apps",
            ["properties"] = new JsonObject
            {
                ["displayName"] = displayName,
                ["owner"] = new JsonObject { ["id"] = ownerObjectId, ["displayName"] = ownerName, ["type"] = "User" },
                ["createdTime"] = created.ToString("o", CultureInfo.InvariantCulture),
                ["lastModifiedTime"] = created.AddDays(3).ToString("o", CultureInfo.InvariantCulture),
                ["connectionReferences"] = references,
                ["sharedUsersCount"] = sharedUsers,
                ["sharedGroupsCount"] = sharedGroups + (everyone ? 1 : 0),
                ["environment"] = new JsonObject { ["name"] = environment },
            },
            ["everyone"] = everyone,
        };
        _apps.GetOrAdd(environment, _ => []).Add(app);
    }

    /// <summary>Deletes an app, as its owner would: the next list no longer has it.</summary>
    public void DeleteApp(string environment, string id) => _apps[environment].RemoveAll(a => a["name"]!.GetValue<string>() == id);

    /// <summary>Changes an app's sharing, as its owner sharing it with more people would.</summary>
    public void ShareApp(string environment, string id, int sharedUsers, int sharedGroups = 0)
    {
        var app = _apps[environment].Single(a => a["name"]!.GetValue<string>() == id);
        app["properties"]!["sharedUsersCount"] = sharedUsers;
        app["properties"]!["sharedGroupsCount"] = sharedGroups;
    }

    /// <param name="apis">Api names its actions use; "http" adds a built-in HTTP action.</param>
    public void AddFlow(string environment, string id, string displayName, string creatorObjectId, DateTimeOffset created, IEnumerable<string> apis)
    {
        var actions = new JsonArray();
        foreach (var api in apis)
        {
            actions.Add(api == "http"
                ? new JsonObject { ["type"] = "Http" }
                : new JsonObject
                {
                    ["type"] = "OpenApiConnection",
                    ["swaggerOperationId"] = "Do",
                    ["api"] = new JsonObject { ["name"] = api, ["id"] = $"/providers/Microsoft.PowerApps/apis/{api}" },
                });
        }

        _flows.GetOrAdd(environment, _ => []).Add(new JsonObject
        {
            ["name"] = id,
            ["id"] = $"/providers/Microsoft.ProcessSimple/environments/{environment}/flows/{id}",
            ["type"] = "Microsoft.ProcessSimple/environments/flows",
            ["properties"] = new JsonObject
            {
                ["displayName"] = displayName,
                ["state"] = "Started",
                ["createdTime"] = created.ToString("o", CultureInfo.InvariantCulture),
                ["lastModifiedTime"] = created.AddDays(1).ToString("o", CultureInfo.InvariantCulture),
                ["creator"] = new JsonObject { ["tenantId"] = "t", ["objectId"] = creatorObjectId, ["userId"] = creatorObjectId, ["userType"] = "ActiveDirectory" },
                ["definitionSummary"] = new JsonObject
                {
                    ["triggers"] = new JsonArray(new JsonObject { ["type"] = "Recurrence" }),
                    ["actions"] = actions,
                },
            },
        });
    }

    public void AddAgent(string environment, string id, string name, string ownerObjectId, string ownerName, DateTimeOffset created) =>
        _agents.GetOrAdd(environment, _ => []).Add(new JsonObject
        {
            ["@odata.etag"] = "W/\"1\"",
            ["botid"] = id,
            ["name"] = name,
            ["createdon"] = created.ToString("o", CultureInfo.InvariantCulture),
            ["modifiedon"] = created.AddDays(2).ToString("o", CultureInfo.InvariantCulture),
            ["owninguser"] = new JsonObject { ["azureactivedirectoryobjectid"] = ownerObjectId, ["fullname"] = ownerName },
        });

    private static string ConnectorName(string api) => api switch
    {
        "shared_sharepointonline" => "SharePoint",
        "shared_sql" => "SQL Server",
        "shared_office365" => "Office 365 Outlook",
        "shared_dropbox" => "Dropbox",
        "shared_twitter" => "X (Twitter)",
        "shared_salesforce" => "Salesforce",
        "http" => "HTTP",
        _ => api,
    };

    private void MapRoutes(WebApplication web)
    {
        web.Use(async (context, next) =>
        {
            var request = context.Request;
            var authorization = request.Headers.Authorization.ToString();
            _calls.Enqueue(new PlatformCall(request.Path + request.QueryString, authorization));
            if (authorization != "Bearer " + AccessToken)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(new { error = new { code = "InvalidAuthenticationToken", message = "No valid token." } });
                return;
            }

            foreach (var (fragment, left) in _throttles)
            {
                if (left > 0 && request.Path.Value!.Contains(fragment, StringComparison.Ordinal) && _throttles.TryUpdate(fragment, left - 1, left))
                {
                    context.Response.StatusCode = 429;
                    context.Response.Headers.RetryAfter = "1";
                    await context.Response.WriteAsJsonAsync(new { error = new { code = "TooManyRequests", message = "Rate limit is exceeded." } });
                    return;
                }
            }

            await next(context);
        });

        web.MapGet("/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments", (HttpRequest request) =>
        {
            lock (_environments)
            {
                return Page(request, [.. _environments], "nextLink");
            }
        });
        web.MapGet("/providers/PowerPlatform.Governance/v2/policies", (HttpRequest request) =>
        {
            lock (_policies)
            {
                return Page(request, [.. _policies], "nextLink");
            }
        });
        web.MapGet("/providers/Microsoft.PowerApps/scopes/admin/environments/{environment}/apps", (HttpRequest request, string environment) =>
            Page(request, [.. _apps.GetValueOrDefault(environment, []).Select(Without("everyone"))], "nextLink"));
        web.MapGet("/providers/Microsoft.PowerApps/scopes/admin/environments/{environment}/apps/{app}/permissions", (HttpRequest request, string environment, string app) =>
        {
            var found = _apps.GetValueOrDefault(environment, []).Single(a => a["name"]!.GetValue<string>() == app);
            List<JsonObject> permissions = [Permission("Owner", found["properties"]!["owner"]!["id"]!.GetValue<string>(), "User")];
            if (found["everyone"]!.GetValue<bool>())
            {
                permissions.Add(Permission("CanView", "tenant", "Tenant"));
            }

            return Page(request, permissions, "nextLink");
        });
        web.MapGet("/providers/Microsoft.ProcessSimple/scopes/admin/environments/{environment}/v2/flows", (HttpRequest request, string environment) =>
            Page(request, [.. _flows.GetValueOrDefault(environment, [])], "nextLink"));
        web.MapGet("/dataverse/{environment}/api/data/v9.2/bots", (HttpRequest request, string environment) =>
            _deniedDataverse.ContainsKey(environment)
                ? Results.Json(new { error = new { code = "0x80040220", message = "The user is not a member of the organization." } }, statusCode: 403)
                : Page(request, [.. _agents.GetValueOrDefault(environment, [])], "@odata.nextLink"));
    }

    private static Func<JsonObject, JsonObject> Without(string property) => item =>
    {
        var copy = (JsonObject)item.DeepClone();
        copy.Remove(property);
        return copy;
    };

    private static JsonObject Permission(string role, string principalId, string principalType) => new()
    {
        ["name"] = Guid.NewGuid().ToString(),
        ["properties"] = new JsonObject
        {
            ["roleName"] = role,
            ["principal"] = new JsonObject { ["id"] = principalId, ["type"] = principalType },
        },
    };

    private IResult Page(HttpRequest request, List<JsonObject> items, string nextLinkName)
    {
        var skip = int.TryParse(request.Query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var page = new JsonObject { ["value"] = new JsonArray([.. items.Skip(skip).Take(PageSize).Select(i => (JsonNode)i.DeepClone())]) };
        if (skip + PageSize < items.Count)
        {
            var query = string.Join("&", request.Query.Where(q => q.Key != "$skiptoken").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}"));
            page[nextLinkName] = $"{BaseUrl}{request.Path}?{query}&$skiptoken={skip + PageSize}";
        }

        return Results.Json(page);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
