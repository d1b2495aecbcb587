using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FusionBot.TestKit.AzureDevOps;

/// <summary>One work item as the fake stores it: its fields by reference name, and every state it was set to.</summary>
public sealed class FakeWorkItem(int id, string type)
{
    public int Id { get; } = id;
    public string Type { get; } = type;
    public int Rev { get; set; } = 1;
    public ConcurrentDictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<string> States { get; } = new();
}

/// <summary>
/// Azure DevOps Boards on loopback, as its REST API 7.1 serves it: a client-credentials token endpoint (scope: Azure
/// DevOps' resource id), <c>POST {org}/{project}/_apis/wit/wiql</c> (tags CONTAINS only), <c>POST …/workitems/${type}</c>
/// and <c>PATCH …/workitems/{id}</c> with <c>application/json-patch+json</c>. Builds the <c>workitem.updated</c> service hook payload.
/// </summary>
public sealed partial class FakeAzureDevOps : IAsyncDisposable
{
    public const string AccessToken = "fake-azure-devops-token";
    public const string Organization = "contoso";
    public const string Project = "Fusion";
    private const string Scope = "499b84ac-1321-427f-aa17-267ca6975798/.default";

    private readonly ConcurrentDictionary<int, FakeWorkItem> items = new();
    private readonly ConcurrentQueue<string> unauthorised = new();
    private WebApplication? app;
    private int lastId = 100;
    private int loseCreateResponses;

    private FakeAzureDevOps()
    {
    }

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<FakeWorkItem> WorkItems => [.. items.Values.OrderBy(i => i.Id)];

    public IReadOnlyList<string> UnauthorisedCalls => [.. unauthorised];

    public IReadOnlyDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Backlog:Organization"] = Organization,
        ["Backlog:Project"] = Project,
        ["Backlog:BaseUrl"] = BaseUrl + "/",
        ["Backlog:TokenEndpoint"] = BaseUrl + "/tenant/oauth2/v2.0/token",
    };

    public static async Task<FakeAzureDevOps> StartAsync()
    {
        var server = new FakeAzureDevOps();
        (server.app, server.BaseUrl) = await LoopbackServer.StartAsync(server.MapRoutes).ConfigureAwait(false);
        return server;
    }

    /// <summary>The next <paramref name="count"/> creations store the item but answer 500, as when the answer is lost on the way back.</summary>
    public void LoseNextCreateResponses(int count) => Interlocked.Exchange(ref loseCreateResponses, count);

    /// <summary>Someone moves the item on the board (what the service hook then reports).</summary>
    public void SetState(int id, string state)
    {
        var item = items[id];
        item.Fields["System.State"] = state;
        item.States.Enqueue(state);
        item.Rev++;
    }

    /// <summary>The <c>workitem.updated</c> event of the Web Hooks consumer for a state change of <paramref name="id"/>.</summary>
    public JsonObject WorkItemUpdated(int id, string oldState, string newState)
    {
        var item = items[id];
        var fields = new JsonObject();
        foreach (var (name, value) in item.Fields)
        {
            fields[name] = value;
        }

        return new JsonObject
        {
            ["subscriptionId"] = Guid.NewGuid().ToString("D"),
            ["notificationId"] = 1,
            ["id"] = Guid.NewGuid().ToString("D"),
            ["eventType"] = "workitem.updated",
            ["publisherId"] = "tfs",
            ["message"] = new JsonObject { ["text"] = $"{item.Type} #{id} ({item.Fields.GetValueOrDefault("System.Title")}) transitioned to {newState}" },
            ["resource"] = new JsonObject
            {
                ["id"] = item.Rev,
                ["workItemId"] = id,
                ["rev"] = item.Rev,
                ["fields"] = new JsonObject
                {
                    ["System.Rev"] = new JsonObject { ["oldValue"] = item.Rev - 1, ["newValue"] = item.Rev },
                    ["System.State"] = new JsonObject { ["oldValue"] = oldState, ["newValue"] = newState },
                },
                ["revision"] = new JsonObject { ["id"] = id, ["rev"] = item.Rev, ["fields"] = fields, ["url"] = Url(id) + $"/revisions/{item.Rev}" },
                ["url"] = Url(id) + $"/updates/{item.Rev}",
            },
            ["resourceVersion"] = "1.0",
            ["resourceContainers"] = new JsonObject { ["project"] = new JsonObject { ["id"] = Guid.NewGuid().ToString("D") } },
            ["createdDate"] = DateTimeOffset.UtcNow.ToString("o"),
        };
    }

    private string Url(int id) => $"{BaseUrl}/{Organization}/{Project}/_apis/wit/workItems/{id}";

    private void MapRoutes(WebApplication web)
    {
        web.MapPost("/tenant/oauth2/v2.0/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
            return form["scope"].ToString() == Scope
                ? Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["access_token"] = AccessToken })
                : Results.Json(new JsonObject { ["error"] = "invalid_scope" }, statusCode: 400);
        });

        web.MapPost($"/{Organization}/{Project}/_apis/wit/wiql", async (HttpContext context) =>
        {
            if (!Authorised(context))
            {
                return Results.StatusCode(401);
            }

            var query = (await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false))?["query"]?.GetValue<string>() ?? "";
            var tag = TagCondition().Match(query) is { Success: true } match ? match.Groups[1].Value : null;
            var found = items.Values.Where(i => tag is not null && i.Fields.GetValueOrDefault("System.Tags", "")
                .Split(';', StringSplitOptions.TrimEntries).Contains(tag, StringComparer.OrdinalIgnoreCase)).OrderBy(i => i.Id);
            return Results.Json(new JsonObject
            {
                ["queryType"] = "flat",
                ["asOf"] = DateTimeOffset.UtcNow.ToString("o"),
                ["workItems"] = new JsonArray([.. found.Select(i => new JsonObject { ["id"] = i.Id, ["url"] = Url(i.Id) })]),
            });
        });

        web.MapPost($"/{Organization}/{Project}/_apis/wit/workitems/{{type}}", async (HttpContext context, string type) =>
        {
            if (!Authorised(context))
            {
                return Results.StatusCode(401);
            }

            if (!type.StartsWith('$') || context.Request.ContentType?.StartsWith("application/json-patch+json", StringComparison.Ordinal) != true)
            {
                return Results.Json(Error("The request is not a work item creation (POST workitems/$type with a JSON Patch)."), statusCode: 400);
            }

            var item = new FakeWorkItem(Interlocked.Increment(ref lastId), type[1..]);
            item.Fields["System.State"] = "New";
            item.Fields["System.WorkItemType"] = item.Type;
            item.Fields["System.AreaPath"] = Project;
            if (!await ApplyAsync(context, item).ConfigureAwait(false))
            {
                return Results.Json(Error("Every operation must be op 'add' on /fields/…."), statusCode: 400);
            }

            items[item.Id] = item;
            return Interlocked.Decrement(ref loseCreateResponses) >= 0 ? Results.StatusCode(500) : Results.Json(Render(item));
        });

        web.MapMethods($"/{Organization}/{Project}/_apis/wit/workitems/{{id:int}}", ["PATCH"], async (HttpContext context, int id) =>
        {
            if (!Authorised(context))
            {
                return Results.StatusCode(401);
            }

            if (!items.TryGetValue(id, out var item))
            {
                return Results.Json(Error($"TF401232: Work item {id} does not exist."), statusCode: 404);
            }

            var before = item.Fields.GetValueOrDefault("System.State");
            if (!await ApplyAsync(context, item).ConfigureAwait(false))
            {
                return Results.Json(Error("Every operation must be op 'add' on /fields/…."), statusCode: 400);
            }

            item.Rev++;
            if (item.Fields.GetValueOrDefault("System.State") is { } after && after != before)
            {
                item.States.Enqueue(after);
            }

            return Results.Json(Render(item));
        });
    }

    private static async Task<bool> ApplyAsync(HttpContext context, FakeWorkItem item)
    {
        if (await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) is not JsonArray operations)
        {
            return false;
        }

        foreach (var operation in operations.OfType<JsonObject>())
        {
            var path = operation["path"]?.GetValue<string>() ?? "";
            if (operation["op"]?.GetValue<string>() != "add" || !path.StartsWith("/fields/", StringComparison.Ordinal))
            {
                return false;
            }

            item.Fields[path["/fields/".Length..]] = operation["value"]?.GetValue<string>() ?? "";
        }

        return true;
    }

    private JsonObject Render(FakeWorkItem item)
    {
        var fields = new JsonObject();
        foreach (var (name, value) in item.Fields)
        {
            fields[name] = value;
        }

        return new JsonObject
        {
            ["id"] = item.Id,
            ["rev"] = item.Rev,
            ["fields"] = fields,
            ["_links"] = new JsonObject
            {
                ["self"] = new JsonObject { ["href"] = Url(item.Id) },
                ["html"] = new JsonObject { ["href"] = $"{BaseUrl}/{Organization}/{Project}/_workitems/edit/{item.Id}" },
            },
            ["url"] = Url(item.Id),
        };
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

    private static JsonObject Error(string message) =>
        new() { ["$id"] = "1", ["message"] = message, ["typeKey"] = "WorkItemTrackingException", ["errorCode"] = 0 };

    [GeneratedRegex(@"\[System\.Tags\]\s+CONTAINS\s+'([^']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex TagCondition();

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
