using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.Protocol.Authentication;
using FusionBot.Protocol.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FusionBot.Protocol.Connector;

/// <summary>
/// The Bot Connector REST API (v3) at a conversation's service URL. Thread-safe; methods are virtual so callers
/// can be tested with a mock. Throttling and brief outages are retried; every other failure is a
/// <see cref="ConnectorException"/>. Every call, proactive ones from stored references included, goes only to a service
/// URL on the <see cref="ServiceUrlAllowList"/>: the bot's token is never presented anywhere else.
/// </summary>
public partial class ConnectorClient
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient httpClient;
    private readonly IBotTokenProvider tokenProvider;
    private readonly ConnectorClientOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<ConnectorClient> logger;
    private readonly ServiceUrlAllowList serviceUrls;

    public ConnectorClient(
        HttpClient httpClient,
        IBotTokenProvider tokenProvider,
        IOptions<ConnectorClientOptions> options,
        IOptions<BotFrameworkOptions> botOptions,
        TimeProvider timeProvider,
        ILogger<ConnectorClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(botOptions);
        serviceUrls = new ServiceUrlAllowList(botOptions.Value);
        this.httpClient = httpClient;
        this.tokenProvider = tokenProvider;
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>For mocking.</summary>
    protected ConnectorClient()
    {
        httpClient = null!;
        tokenProvider = null!;
        options = new ConnectorClientOptions();
        timeProvider = TimeProvider.System;
        logger = null!;
        serviceUrls = null!;
    }

    public virtual Task<ResourceResponse> SendToConversationAsync(
        string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentNullException.ThrowIfNull(activity);
        return SendAsync<ResourceResponse>(HttpMethod.Post, serviceUrl, ConnectorRoutes.Activities(conversationId), activity, cancellationToken);
    }

    public virtual Task<ResourceResponse> ReplyToActivityAsync(
        string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        ArgumentNullException.ThrowIfNull(activity);
        return SendAsync<ResourceResponse>(HttpMethod.Post, serviceUrl, ConnectorRoutes.Activity(conversationId, activityId), activity, cancellationToken);
    }

    public virtual Task<ResourceResponse> UpdateActivityAsync(
        string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        ArgumentNullException.ThrowIfNull(activity);
        activity.Id ??= activityId;
        return SendAsync<ResourceResponse>(HttpMethod.Put, serviceUrl, ConnectorRoutes.Activity(conversationId, activityId), activity, cancellationToken);
    }

    public virtual Task<ConversationResourceResponse> CreateConversationAsync(
        string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return SendAsync<ConversationResourceResponse>(HttpMethod.Post, serviceUrl, ConnectorRoutes.Conversations, parameters, cancellationToken);
    }

    public virtual Task<PagedMembersResult> GetPagedMembersAsync(
        string serviceUrl, string conversationId, int? pageSize = null, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        return SendAsync<PagedMembersResult>(
            HttpMethod.Get, serviceUrl, ConnectorRoutes.PagedMembers(conversationId, pageSize, continuationToken), null, cancellationToken);
    }

    public virtual Task<TeamsChannelAccount> GetMemberAsync(
        string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(memberId);
        return SendAsync<TeamsChannelAccount>(HttpMethod.Get, serviceUrl, ConnectorRoutes.Member(conversationId, memberId), null, cancellationToken);
    }

    /// <summary>
    /// Sends a proactive message to a stored conversation. The activity's from, recipient, conversation, channelId
    /// and serviceUrl are filled from the reference where unset (the activity is changed in place).
    /// </summary>
    public virtual Task<ResourceResponse> SendToReferenceAsync(
        ConversationReference reference, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(activity);
        var serviceUrl = reference.ServiceUrl ?? throw new ArgumentException("The reference has no serviceUrl.", nameof(reference));
        var conversationId = reference.Conversation?.Id ?? throw new ArgumentException("The reference has no conversation id.", nameof(reference));
        activity.From ??= reference.Bot;
        activity.Recipient ??= reference.User;
        activity.Conversation ??= reference.Conversation;
        activity.ChannelId ??= reference.ChannelId;
        activity.ServiceUrl ??= serviceUrl;
        return SendToConversationAsync(serviceUrl, conversationId, activity, cancellationToken);
    }

    /// <summary>Opens (or reopens) the 1:1 chat with the reference's user, optionally posting a first activity.</summary>
    public virtual Task<ConversationResourceResponse> CreatePersonalConversationAsync(
        ConversationReference userReference, Activity? first = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userReference);
        return CreatePersonalConversationAsync(
            userReference.ServiceUrl ?? throw new ArgumentException("The reference has no serviceUrl.", nameof(userReference)),
            userReference.TenantId ?? throw new ArgumentException("The reference has no tenant id.", nameof(userReference)),
            userReference.User ?? throw new ArgumentException("The reference has no user.", nameof(userReference)),
            userReference.Bot ?? throw new ArgumentException("The reference has no bot.", nameof(userReference)),
            first,
            cancellationToken);
    }

    /// <summary>Opens (or reopens) the 1:1 chat with <paramref name="user"/>, optionally posting a first activity.</summary>
    public virtual Task<ConversationResourceResponse> CreatePersonalConversationAsync(
        string serviceUrl, string tenantId, ChannelAccount user, ChannelAccount bot, Activity? first = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(bot);
        return CreateConversationAsync(serviceUrl, new ConversationParameters
        {
            IsGroup = false,
            Bot = bot,
            Members = [user],
            TenantId = tenantId,
            ChannelData = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenantId } },
            Activity = first,
        }, cancellationToken);
    }

    /// <summary>
    /// Starts a new thread in a Teams channel with <paramref name="activity"/> as its first post. The answer's id is the
    /// thread's conversation id (<c>&lt;channel&gt;;messageid=&lt;n&gt;</c>) and its activityId the post's id.
    /// </summary>
    public virtual Task<ConversationResourceResponse> CreateChannelThreadAsync(
        string serviceUrl, string tenantId, string channelId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentNullException.ThrowIfNull(activity);
        return CreateConversationAsync(serviceUrl, new ConversationParameters
        {
            IsGroup = true,
            TenantId = tenantId,
            ChannelData = new JsonObject
            {
                ["channel"] = new JsonObject { ["id"] = channelId },
                ["tenant"] = new JsonObject { ["id"] = tenantId },
            },
            Activity = activity,
        }, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string serviceUrl, string route, object? body, CancellationToken cancellationToken)
        where T : class, new()
    {
        var uri = ConnectorRoutes.Resolve(serviceUrl, route);
        if (!serviceUrls.IsAllowed(serviceUrl))
        {
            LogServiceUrlRefused(logger, method.Method, ServiceUrlAllowList.HostOf(serviceUrl));
            throw new ConnectorException(
                HttpStatusCode.Forbidden, ConnectorException.ServiceUrlNotAllowed, null,
                $"{method.Method} refused: the service URL's host {ServiceUrlAllowList.HostOf(serviceUrl)} is not on the allow-list (BotFramework:AllowedServiceUrls).");
        }

        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), ProtocolJson.Options);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (payload is not null)
            {
                request.Content = new ByteArrayContent(payload);
                request.Content.Headers.ContentType = JsonContentType;
            }

            var token = await tokenProvider.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return await ReadBodyAsync<T>(response, cancellationToken).ConfigureAwait(false);
            }

            if (IsTransient(response.StatusCode) && attempt < options.MaxAttempts)
            {
                var delay = RetryDelay(response, attempt);
                if (delay <= options.MaxRetryAfter)
                {
                    LogRetrying(logger, method.Method, uri.AbsolutePath, (int)response.StatusCode, attempt, delay);
                    await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            throw await CreateExceptionAsync(method, uri, response, attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> ReadBodyAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class, new()
    {
        // Teams answers some writes with 2xx and no body at all.
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? new T() : JsonSerializer.Deserialize<T>(text, ProtocolJson.Options) ?? new T();
    }

    private static bool IsTransient(HttpStatusCode status) => status is
        HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed or HttpStatusCode.BadGateway or
        HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        var backoff = options.BaseDelay * Math.Pow(2, attempt - 1);
        return backoff * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    private static async Task<ConnectorException> CreateExceptionAsync(
        HttpMethod method, Uri uri, HttpResponseMessage response, int attempts, CancellationToken cancellationToken)
    {
        string? code = null;
        string? message = null;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!string.IsNullOrWhiteSpace(text) && JsonNode.Parse(text) is JsonObject root && root["error"] is JsonObject error)
            {
                code = error["code"]?.GetValueKind() == JsonValueKind.String ? error["code"]!.GetValue<string>() : null;
                message = error["message"]?.GetValueKind() == JsonValueKind.String ? error["message"]!.GetValue<string>() : null;
            }
        }
        catch (JsonException)
        {
            // Not Teams' error shape (a proxy's HTML page, say): the status alone tells the story.
        }

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{method.Method} {uri.AbsolutePath} failed with {(int)response.StatusCode} {code ?? response.ReasonPhrase} after {attempts} attempt(s).{(message is null ? string.Empty : " " + message)}");
        return new ConnectorException(response.StatusCode, code, message, summary);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Method} not sent: the service URL host {Host} is not on the allow-list")]
    private static partial void LogServiceUrlRefused(ILogger logger, string method, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Method} {Path} answered {Status} (attempt {Attempt}); retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string method, string path, int status, int attempt, TimeSpan delay);
}
