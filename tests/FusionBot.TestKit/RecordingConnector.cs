using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.Protocol;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FusionBot.TestKit;

/// <summary>The Bot Connector routes the bot calls.</summary>
public enum ConnectorRoute
{
    SendToConversation,
    ReplyToActivity,
    UpdateActivity,
    CreateConversation,
    GetPagedMembers,
    GetMember,
}

/// <summary>One call the bot made to the connector, and how it was answered.</summary>
public sealed record RecordedCall(
    ConnectorRoute Route,
    string Method,
    string Path,
    string? ConversationId,
    string? ActivityId,
    string? Authorization,
    string Body,
    int StatusCode)
{
    /// <summary>The body as JSON, or null for bodiless calls.</summary>
    public JsonNode? Json => string.IsNullOrWhiteSpace(Body) ? null : JsonNode.Parse(Body);

    /// <summary>The activity sent: the body of a send, reply or update, or the first activity of a create-conversation.</summary>
    public Activity? Activity => Route switch
    {
        ConnectorRoute.SendToConversation or ConnectorRoute.ReplyToActivity or ConnectorRoute.UpdateActivity =>
            JsonSerializer.Deserialize<Activity>(Body, ProtocolJson.Options),
        ConnectorRoute.CreateConversation => Parameters?.Activity,
        _ => null,
    };

    public ConversationParameters? Parameters => Route == ConnectorRoute.CreateConversation
        ? JsonSerializer.Deserialize<ConversationParameters>(Body, ProtocolJson.Options)
        : null;

    /// <summary>The bearer token sent, without the scheme.</summary>
    public string? BearerToken => Authorization is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;

    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>When the connector received the call (its clock), e.g. to check a sender's pace.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The id the connector answered with (a sent message's id, which an update later names).</summary>
    public string? ResponseId { get; init; }
}

/// <summary>
/// A fake Bot Connector on loopback: implements the v3 routes the bot uses, records every call, and fails on demand.
/// Use <see cref="ServiceUrl"/> as the activities' serviceUrl.
/// </summary>
public sealed class RecordingConnector : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<RecordedCall> calls = [];
    private readonly List<(Func<RecordedCall, bool> Predicate, TaskCompletionSource<RecordedCall> Waiter)> waiters = [];
    private readonly Dictionary<ConnectorRoute, Queue<Failure>> failures = [];
    private readonly HashSet<string> blockedConversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<Failure>> conversationFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TeamsChannelAccount>> rosters = new(StringComparer.Ordinal);
    private WebApplication? app;
    private long nextId = 1_700_000_000_000;
    private TimeSpan answerDelay;

    private RecordingConnector()
    {
    }

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The service URL activities carry (with the trailing slash Teams sends).</summary>
    public string ServiceUrl => BaseUrl + "/";

    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls];
            }
        }
    }

    public static async Task<RecordingConnector> StartAsync()
    {
        var connector = new RecordingConnector();
        (connector.app, connector.BaseUrl) = await LoopbackServer.StartAsync(connector.MapRoutes).ConfigureAwait(false);
        return connector;
    }

    /// <summary>
    /// From now on every call is answered only after <paramref name="delay"/>, as a slow Teams would. A caller that
    /// gives up meanwhile does not undo it: the call is recorded (and counts as delivered) all the same.
    /// </summary>
    public void AnswerEveryCallAfter(TimeSpan delay)
    {
        lock (gate)
        {
            answerDelay = delay;
        }
    }

    /// <summary>The next <paramref name="count"/> calls to <paramref name="route"/> answer <paramref name="status"/>.</summary>
    public void FailNext(ConnectorRoute route, int count, HttpStatusCode status, TimeSpan? retryAfter = null, string? errorCode = null)
    {
        lock (gate)
        {
            if (!failures.TryGetValue(route, out var queue))
            {
                failures[route] = queue = new Queue<Failure>();
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(new Failure(status, retryAfter, errorCode));
            }
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> writes into <paramref name="conversationId"/> (send, reply, update) answer
    /// <paramref name="status"/>: one recipient failing while the others do not.
    /// </summary>
    public void FailNextInConversation(string conversationId, int count, HttpStatusCode status)
    {
        lock (gate)
        {
            if (!conversationFailures.TryGetValue(conversationId, out var queue))
            {
                conversationFailures[conversationId] = queue = new Queue<Failure>();
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(new Failure(status, null, null));
            }
        }
    }

    /// <summary>The next <paramref name="count"/> calls to <paramref name="route"/> answer 200 with no body, as Teams sometimes does.</summary>
    public void AnswerNextWithEmptyBody(ConnectorRoute route, int count = 1) => FailNext(route, count, HttpStatusCode.OK);

    /// <summary>From now on every write into the conversation answers 403 MessageWritesBlocked (the user blocked the bot).</summary>
    public void BlockConversation(string conversationId)
    {
        lock (gate)
        {
            blockedConversations.Add(conversationId);
        }
    }

    /// <summary>The members <c>pagedmembers</c> and <c>members/{id}</c> answer for a conversation.</summary>
    public void SetRoster(string conversationId, params TeamsChannelAccount[] members)
    {
        lock (gate)
        {
            rosters[conversationId] = [.. members];
        }
    }

    public void ClearCalls()
    {
        lock (gate)
        {
            calls.Clear();
        }
    }

    /// <summary>The first call (already made or still to come) that matches; throws <see cref="TimeoutException"/> after 10 s by default.</summary>
    public async Task<RecordedCall> WaitForAsync(Func<RecordedCall, bool> predicate, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        TaskCompletionSource<RecordedCall> waiter;
        lock (gate)
        {
            if (calls.FirstOrDefault(predicate) is { } existing)
            {
                return existing;
            }

            waiter = new TaskCompletionSource<RecordedCall>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((predicate, waiter));
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"No matching connector call. Calls seen: {string.Join("; ", Calls.Select(c => $"{c.Method} {c.Path} -> {c.StatusCode}"))}");
        }
        finally
        {
            lock (gate)
            {
                waiters.RemoveAll(w => w.Waiter == waiter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void MapRoutes(WebApplication web)
    {
        web.MapPost("/v3/conversations/{conversationId}/activities", (HttpContext context, string conversationId) =>
            HandleAsync(context, ConnectorRoute.SendToConversation, conversationId, null,
                () => Results.Json(new JsonObject { ["id"] = NewId() }, statusCode: StatusCodes.Status201Created)));
        web.MapPost("/v3/conversations/{conversationId}/activities/{activityId}", (HttpContext context, string conversationId, string activityId) =>
            HandleAsync(context, ConnectorRoute.ReplyToActivity, conversationId, activityId,
                () => Results.Json(new JsonObject { ["id"] = NewId() }, statusCode: StatusCodes.Status201Created)));
        web.MapPut("/v3/conversations/{conversationId}/activities/{activityId}", (HttpContext context, string conversationId, string activityId) =>
            HandleAsync(context, ConnectorRoute.UpdateActivity, conversationId, activityId,
                () => Results.Json(new JsonObject { ["id"] = activityId })));
        Func<HttpContext, Task<IResult>> createConversation = context =>
            HandleAsync(context, ConnectorRoute.CreateConversation, null, null, CreateConversation);
        web.MapPost("/v3/conversations", createConversation);
        web.MapGet("/v3/conversations/{conversationId}/pagedmembers", (HttpContext context, string conversationId) =>
            HandleAsync(context, ConnectorRoute.GetPagedMembers, conversationId, null, () => PagedMembers(context.Request, conversationId)));
        web.MapGet("/v3/conversations/{conversationId}/members/{memberId}", (HttpContext context, string conversationId, string memberId) =>
            HandleAsync(context, ConnectorRoute.GetMember, conversationId, null, () => Member(conversationId, memberId)));
    }

    private Task<IResult> HandleAsync(HttpContext context, ConnectorRoute route, string? conversationId, string? activityId, Func<IResult> answer) =>
        HandleAsync(context, route, conversationId, activityId, _ => answer());

    private async Task<IResult> HandleAsync(
        HttpContext context, ConnectorRoute route, string? conversationId, string? activityId, Func<string, IResult> answer)
    {
        var at = DateTimeOffset.UtcNow;
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        TimeSpan delay;
        lock (gate)
        {
            delay = answerDelay;
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay).ConfigureAwait(false);
        }

        var result = PlannedFailure(route, conversationId) ?? answer(body);
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        Record(new RecordedCall(
            route,
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            conversationId,
            activityId,
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null,
            body,
            status)
        {
            At = at,
            ResponseId = (result as IValueHttpResult)?.Value is JsonObject { } answered && answered["id"] is JsonValue id ? id.GetValue<string>() : null,
        });
        return result;
    }

    private FailureResult? PlannedFailure(ConnectorRoute route, string? conversationId)
    {
        lock (gate)
        {
            var isWrite = route is ConnectorRoute.SendToConversation or ConnectorRoute.ReplyToActivity or ConnectorRoute.UpdateActivity;
            if (isWrite && conversationId is not null && blockedConversations.Contains(BaseConversationId(conversationId)))
            {
                return new FailureResult(new Failure(HttpStatusCode.Forbidden, null, ConnectorException.MessageWritesBlocked));
            }

            if (isWrite && conversationId is not null && conversationFailures.TryGetValue(BaseConversationId(conversationId), out var planned)
                && planned.TryDequeue(out var inConversation))
            {
                return new FailureResult(inConversation);
            }

            return failures.TryGetValue(route, out var queue) && queue.TryDequeue(out var failure) ? new FailureResult(failure) : null;
        }
    }

    private void Record(RecordedCall call)
    {
        List<TaskCompletionSource<RecordedCall>> matched;
        lock (gate)
        {
            calls.Add(call);
            matched = [.. waiters.Where(w => w.Predicate(call)).Select(w => w.Waiter)];
            waiters.RemoveAll(w => matched.Contains(w.Waiter));
        }

        foreach (var waiter in matched)
        {
            waiter.TrySetResult(call);
        }
    }

    private IResult CreateConversation(string body)
    {
        var parameters = JsonSerializer.Deserialize<ConversationParameters>(body, ProtocolJson.Options);
        var channelId = parameters?.ChannelData?["channel"]?["id"]?.GetValue<string>();
        if (parameters?.IsGroup == true && channelId is not null)
        {
            var messageId = NewId();
            return Results.Json(new JsonObject { ["id"] = $"{channelId};messageid={messageId}", ["activityId"] = messageId },
                statusCode: StatusCodes.Status201Created);
        }

        var member = parameters?.Members?.FirstOrDefault()?.Id ?? "unknown";
        var response = new JsonObject { ["id"] = "a:personal-" + member };
        if (parameters?.Activity is not null)
        {
            response["activityId"] = NewId();
        }

        return Results.Json(response, statusCode: StatusCodes.Status201Created);
    }

    private IResult PagedMembers(HttpRequest request, string conversationId)
    {
        var pageSize = int.TryParse(request.Query["pageSize"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) ? size : 100;
        var start = int.TryParse(request.Query["continuationToken"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
        var roster = RosterOf(conversationId);
        var page = roster.Skip(start).Take(pageSize).ToList();
        var next = start + page.Count < roster.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return Results.Json(new PagedMembersResult { Members = page, ContinuationToken = next }, ProtocolJson.Options);
    }

    private IResult Member(string conversationId, string memberId)
    {
        var member = RosterOf(conversationId).FirstOrDefault(m => m.Id == memberId || m.AadObjectId == memberId);
        return member is null
            ? new FailureResult(new Failure(HttpStatusCode.NotFound, null, "MemberNotFoundInConversation"))
            : Results.Json(member, ProtocolJson.Options);
    }

    private List<TeamsChannelAccount> RosterOf(string conversationId)
    {
        lock (gate)
        {
            return rosters.TryGetValue(conversationId, out var roster) || rosters.TryGetValue(BaseConversationId(conversationId), out roster)
                ? [.. roster]
                : [];
        }
    }

    // A channel thread (…;messageid=n) belongs to its channel: blocks and rosters of the channel apply to it.
    private static string BaseConversationId(string conversationId) =>
        conversationId.Split(";messageid=", 2)[0];

    private string NewId() => Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture);

    private sealed record Failure(HttpStatusCode Status, TimeSpan? RetryAfter, string? ErrorCode);

    private sealed class FailureResult(Failure failure) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (int)failure.Status;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = (int)failure.Status;
            if (failure.RetryAfter is { } retryAfter)
            {
                httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            if (failure.ErrorCode is { } code)
            {
                await httpContext.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["error"] = new JsonObject { ["code"] = code, ["message"] = $"Fake connector failure: {code}" },
                }).ConfigureAwait(false);
            }
        }
    }
}
