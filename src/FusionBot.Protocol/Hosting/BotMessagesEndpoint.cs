using System.Text.Json;
using FusionBot.Protocol.Authentication;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FusionBot.Protocol.Hosting;

/// <summary>
/// The messaging endpoint Teams posts activities to. Answers, in order:
/// 401 when the bearer token is missing or invalid (signature, algorithm, issuer, audience, lifetime, or an Entra ID
/// caller not in <c>BotFramework:AllowedCallers</c>); 503 when the signing keys cannot be fetched;
/// 400 for a body over 256 KB, malformed JSON or channelData, an activity without a type, serviceUrl or conversation;
/// 403 when a valid token does not vouch for this activity (serviceurl claim or channel endorsement differ), when the
/// channel is not msteams (authentication on), the serviceUrl is not on the <see cref="ServiceUrlAllowList"/>, or
/// the tenant is not served (<c>BotFramework:AllowedTenants</c>) — before the bot stores or sends anything;
/// 200 without calling the bot for activity types the bot does not handle;
/// for invokes, the bot's <see cref="InvokeResponse"/> (none: 501 for adaptiveCard/action, which must answer a card, else 200);
/// 200 once other activities are processed; 500 when the bot throws, so Teams retries.
/// </summary>
public static partial class BotMessagesEndpoint
{
    public const int MaxActivityBytes = 256 * 1024;

    private static readonly HashSet<string> HandledTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ActivityTypes.Message, ActivityTypes.Invoke, ActivityTypes.ConversationUpdate, ActivityTypes.InstallationUpdate,
    };

    public static IEndpointConventionBuilder MapBotMessages(this IEndpointRouteBuilder endpoints, string pattern = "/api/messages")
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Resolving the options runs their validation now, so a misconfigured bot fails at start, not on first message.
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BotMessagesEndpoint).FullName!);
        if (!options.IsAuthenticationEnabled)
        {
            LogAuthenticationOff(logger, pattern, endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>().EnvironmentName);
        }

        var admission = new Admission(options, new ServiceUrlAllowList(options), options.GetAllowedTenants());
        Func<HttpContext, Task<IResult>> handler = context => HandleAsync(context, admission, logger);
        return endpoints.MapPost(pattern, handler);
    }

    private static async Task<IResult> HandleAsync(HttpContext context, Admission admission, ILogger logger)
    {
        var services = context.RequestServices;
        var cancellationToken = context.RequestAborted;

        var token = await services.GetRequiredService<BotRequestAuthenticator>()
            .ValidateTokenAsync(context.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, cancellationToken);
        if (token.IsUnavailable)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        if (!token.IsValid)
        {
            LogUnauthorized(logger, token.Failure);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Unauthorized();
        }

        var (activity, badInput) = await ReadActivityAsync(context.Request, cancellationToken);
        if (activity is null)
        {
            LogBadRequest(logger, badInput);
            return Results.Text(badInput, statusCode: StatusCodes.Status400BadRequest);
        }

        if ((token.CheckActivity(activity) ?? admission.Check(activity)) is { } forbidden)
        {
            LogForbidden(logger, forbidden);
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!HandledTypes.Contains(activity.Type!))
        {
            return Results.Ok();
        }

        if (string.Equals(activity.Type, ActivityTypes.Message, StringComparison.OrdinalIgnoreCase))
        {
            activity.RemoveRecipientMention();
        }

        InvokeResponse? response;
        try
        {
            var turn = new TurnContext(activity, services.GetRequiredService<ConnectorClient>());
            response = await services.GetRequiredService<IBot>().OnTurnAsync(turn, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogBotFailed(logger, exception, activity.Type, activity.Name);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        if (!string.Equals(activity.Type, ActivityTypes.Invoke, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Ok();
        }

        if (response is null)
        {
            return string.Equals(activity.Name, InvokeNames.AdaptiveCardAction, StringComparison.OrdinalIgnoreCase)
                ? Results.StatusCode(StatusCodes.Status501NotImplemented)
                : Results.Ok();
        }

        return response.Body is null
            ? Results.StatusCode(response.Status)
            : Results.Json(response.Body, ProtocolJson.Options, statusCode: response.Status);
    }

    private static async Task<(Activity? Activity, string Reason)> ReadActivityAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxActivityBytes)
        {
            return (null, "activity too large");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxActivityBytes)
            {
                return (null, "activity too large");
            }

            buffer.Write(chunk, 0, read);
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ProtocolJson.Options);
        }
        catch (JsonException)
        {
            return (null, "malformed activity JSON");
        }

        if (string.IsNullOrWhiteSpace(activity?.Type))
        {
            return (null, "activity has no type");
        }

        // Every activity is answered (or refused) on its own serviceUrl and conversation; without them there is nothing to do.
        if (string.IsNullOrWhiteSpace(activity.ServiceUrl))
        {
            return (null, "activity has no serviceUrl");
        }

        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
        {
            return (null, "activity has no conversation");
        }

        try
        {
            activity.GetTeamsChannelData();
        }
        catch (JsonException)
        {
            return (null, "malformed channelData");
        }

        return (activity, string.Empty);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "AUTHENTICATION IS OFF: MicrosoftAppId is not set, so {Pattern} accepts activities from anyone (environment {Environment}). Allowed only in Development and Benchmark; never expose this instance.")]
    private static partial void LogAuthenticationOff(ILogger logger, string pattern, string environment);

    /// <summary>What an authentic activity must also satisfy before the bot sees it: channel, service URL, tenant.</summary>
    private sealed class Admission(BotFrameworkOptions options, ServiceUrlAllowList serviceUrls, IReadOnlyList<string> allowedTenants)
    {
        public string? Check(Activity activity)
        {
            if (options.IsAuthenticationEnabled &&
                !string.Equals(activity.ChannelId, AuthenticationConstants.TeamsChannelId, StringComparison.Ordinal))
            {
                return "the activity's channel is not msteams";
            }

            if (!serviceUrls.IsAllowed(activity.ServiceUrl))
            {
                // The host only: the path of a Teams service URL can carry ids.
                return $"the activity's serviceUrl host {ServiceUrlAllowList.HostOf(activity.ServiceUrl)} is not on the allow-list; nothing was sent";
            }

            var conversationTenant = NullIfEmpty(activity.Conversation?.TenantId);
            var channelDataTenant = NullIfEmpty(activity.GetTeamsChannelData()?.Tenant?.Id);
            if (conversationTenant is not null && channelDataTenant is not null &&
                !string.Equals(conversationTenant, channelDataTenant, StringComparison.OrdinalIgnoreCase))
            {
                return "the activity names two different tenants";
            }

            var tenant = conversationTenant ?? channelDataTenant;
            if (allowedTenants.Count > 0 && (tenant is null || !allowedTenants.Contains(tenant, StringComparer.OrdinalIgnoreCase)))
            {
                return tenant is null ? "the activity names no tenant" : "the activity's tenant is not in BotFramework:AllowedTenants";
            }

            return null;
        }

        private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected an activity: 401, {Reason}")]
    private static partial void LogUnauthorized(ILogger logger, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected an activity: 403, {Reason}")]
    private static partial void LogForbidden(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected an activity: 400, {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The bot failed on a {Type} activity ({Name}); answering 500 so the channel retries")]
    private static partial void LogBotFailed(ILogger logger, Exception exception, string? type, string? name);
}
