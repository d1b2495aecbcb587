using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FusionBot.TestKit.Graph;

/// <summary>A root message in a channel, as the fake Graph lists it: an Adaptive Card posted by the bot at <see cref="CreatedAt"/>.</summary>
public sealed record FakeChannelMessage(string Id, DateTimeOffset CreatedAt, string CardJson);

/// <summary>One call the app made to the fake Graph.</summary>
public sealed record GraphCall(string Method, string Path, string? Authorization, JsonObject? Body);

/// <summary>
/// Microsoft Graph (v1.0) on loopback, with its own client-credentials token endpoint: checkMemberGroups answers from
/// <see cref="AddGroupMember"/>, POST /users/{id}/events creates an online meeting (or fails with <see cref="FailEvents"/>),
/// a channel's messages delta lists <see cref="ChannelMessages"/> (one page, filtered by <c>lastModifiedDateTime gt</c>),
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

    /// <summary>The root messages of a channel, by team (Entra group) id and channel id.</summary>
    public Func<string, string, IEnumerable<FakeChannelMessage>> ChannelMessages { get; set; } = (_, _) => [];

    /// <summary>When set, listing a channel's messages answers this status with a Graph error body.</summary>
    public int? FailChannelMessages { get; set; }

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
        web.MapGet("/v1.0/teams/{teamId}/channels/{channelId}/messages/delta()", (HttpContext context, string teamId, string channelId) =>
        {
            calls.Enqueue(new GraphCall(context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.ToString(), null));
            if (FailChannelMessages is { } status)
            {
                return Results.Json(new JsonObject
                {
                    ["error"] = new JsonObject { ["code"] = "ServiceUnavailable", ["message"] = "The service is temporarily unavailable." },
                }, statusCode: status);
            }

            const string Prefix = "lastModifiedDateTime gt ";
            var filter = context.Request.Query["$filter"].ToString();
            DateTimeOffset? after = filter.StartsWith(Prefix, StringComparison.Ordinal)
                ? DateTimeOffset.Parse(filter[Prefix.Length..], CultureInfo.InvariantCulture)
                : null;
            var messages = ChannelMessages(teamId, channelId).Where(m => after is null || m.CreatedAt > after).Select(m => (JsonNode)new JsonObject
            {
                ["id"] = m.Id,
                ["messageType"] = "message",
                ["createdDateTime"] = m.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["lastModifiedDateTime"] = m.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["deletedDateTime"] = null,
                ["channelIdentity"] = new JsonObject { ["teamId"] = teamId, ["channelId"] = channelId },
                ["from"] = new JsonObject { ["application"] = new JsonObject { ["id"] = "bot", ["displayName"] = "FusionBot", ["applicationIdentityType"] = "bot" } },
                ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = $"<attachment id=\"{m.Id}\"></attachment>" },
                ["attachments"] = new JsonArray(new JsonObject
                {
                    ["id"] = m.Id,
                    ["contentType"] = "application/vnd.microsoft.card.adaptive",
                    ["content"] = m.CardJson,
                }),
            });
            return Results.Json(new JsonObject
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#Collection(chatMessage)",
                ["@odata.deltaLink"] = $"{BaseUrl}/v1.0/teams/{teamId}/channels/{channelId}/messages/delta()?$deltatoken=done",
                ["value"] = new JsonArray([.. messages]),
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
