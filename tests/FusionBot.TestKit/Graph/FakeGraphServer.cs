using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FusionBot.TestKit.Graph;

/// <summary>One call the app made to the fake Graph.</summary>
public sealed record GraphCall(string Method, string Path, string? Authorization, JsonObject? Body);

/// <summary>
/// Microsoft Graph (v1.0) on loopback, with its own client-credentials token endpoint: checkMemberGroups answers from
/// <see cref="AddGroupMember"/>, POST /users/{id}/events creates an online meeting (or fails with <see cref="FailEvents"/>),
/// POST /users/{id}/teamwork/installedApps installs an app for the user (409 when it is installed already).
/// Configure the app with <see cref="Configuration"/>.
/// </summary>
public sealed class FakeGraphServer : IAsyncDisposable
{
    public const string AccessToken = "fake-graph-token";

    private readonly ConcurrentQueue<GraphCall> calls = new();
    private readonly ConcurrentDictionary<(string User, string Group), bool> members = new();
    private readonly ConcurrentDictionary<string, string> installations = new();
    private WebApplication? app;
    private int eventCount;

    private FakeGraphServer()
    {
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>How long checkMemberGroups takes to answer, to stand in for a slow directory (benchmarks).</summary>
    public TimeSpan CheckMemberGroupsDelay { get; set; }

    /// <summary>When set, event creation answers this status with a Graph error body.</summary>
    public int? FailEvents { get; set; }

    public IReadOnlyList<GraphCall> Calls => [.. calls];

    public IReadOnlyDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Graph:BaseUrl"] = BaseUrl + "/v1.0",
        ["Graph:TokenEndpoint"] = BaseUrl + "/tenant/oauth2/v2.0/token",
    };

    public static async Task<FakeGraphServer> StartAsync()
    {
        var server = new FakeGraphServer();
        (server.app, server.BaseUrl) = await LoopbackServer.StartAsync(server.MapRoutes).ConfigureAwait(false);
        return server;
    }

    public void AddGroupMember(string userId, string groupId) => members[(userId, groupId)] = true;

    private void MapRoutes(WebApplication web)
    {
        web.MapPost("/tenant/oauth2/v2.0/token", () => Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["access_token"] = AccessToken,
        }));
        web.MapPost("/v1.0/users/{userId}/checkMemberGroups", async (HttpContext context, string userId) =>
        {
            var body = await RecordAsync(context).ConfigureAwait(false);
            if (CheckMemberGroupsDelay > TimeSpan.Zero)
            {
                await Task.Delay(CheckMemberGroupsDelay, context.RequestAborted).ConfigureAwait(false);
            }

            var asked = body?["groupIds"]?.AsArray().Select(g => g!.GetValue<string>()) ?? [];
            return Results.Json(new JsonObject
            {
                ["value"] = new JsonArray([.. asked.Where(g => members.ContainsKey((userId, g))).Select(g => JsonValue.Create(g))]),
            });
        });
        web.MapPost("/v1.0/users/{userId}/teamwork/installedApps", async (HttpContext context, string userId) =>
        {
            var body = await RecordAsync(context).ConfigureAwait(false);
            var installed = installations.TryAdd(userId, body?["teamsApp@odata.bind"]?.GetValue<string>() ?? "");
            return installed
                ? Results.Json(new JsonObject { ["id"] = $"install-{userId}" }, statusCode: StatusCodes.Status201Created)
                : Results.Json(new JsonObject
                {
                    ["error"] = new JsonObject { ["code"] = "Conflict", ["message"] = "App is already installed." },
                }, statusCode: StatusCodes.Status409Conflict);
        });
        web.MapPost("/v1.0/users/{userId}/events", async (HttpContext context, string userId) =>
        {
            var body = await RecordAsync(context).ConfigureAwait(false);
            if (FailEvents is { } status)
            {
                return Results.Json(new JsonObject
                {
                    ["error"] = new JsonObject { ["code"] = "ErrorAccessDenied", ["message"] = "Access is denied to the calendar." },
                }, statusCode: status);
            }

            var id = $"e-{Interlocked.Increment(ref eventCount)}";
            var answer = body?.DeepClone().AsObject() ?? [];
            answer["id"] = id;
            answer["onlineMeeting"] = new JsonObject { ["joinUrl"] = $"https://teams.example.test/l/meetup-join/{id}" };
            return Results.Json(answer, statusCode: StatusCodes.Status201Created);
        });
    }

    private async Task<JsonObject?> RecordAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) as JsonObject;
        calls.Enqueue(new GraphCall(context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.ToString(), body));
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
