using System.Text.Json;
using FusionBot.Protocol.Authentication;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FusionBot.Protocol.Hosting;

/// <summary>
/// The messaging endpoint Teams posts activities to. Answers, in order:
/// 401 when the bearer token is missing or invalid (signature, issuer, audience, lifetime);
/// 400 for a body over 256 KB, malformed JSON or an activity without a type;
/// 403 when a valid token does not vouch for this activity (serviceurl claim or channel endorsement differ);
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
            LogAuthenticationOff(logger, pattern);
        }

        Func<HttpContext, Task<IResult>> handler = context => HandleAsync(context, logger);
        return endpoints.MapPost(pattern, handler);
    }

    private static async Task<IResult> HandleAsync(HttpContext context, ILogger logger)
    {
        var services = context.RequestServices;
        var cancellationToken = context.RequestAborted;

        var token = await services.GetRequiredService<BotRequestAuthenticator>()
            .ValidateTokenAsync(context.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, cancellationToken);
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

        if (token.CheckActivity(activity) is { } forbidden)
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

        return string.IsNullOrWhiteSpace(activity?.Type) ? (null, "activity has no type") : (activity, string.Empty);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "MicrosoftAppId is not set: {Pattern} accepts activities WITHOUT authentication. Use this only for local development.")]
    private static partial void LogAuthenticationOff(ILogger logger, string pattern);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected an activity: 401, {Reason}")]
    private static partial void LogUnauthorized(ILogger logger, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected an activity: 403, {Reason}")]
    private static partial void LogForbidden(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected an activity: 400, {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The bot failed on a {Type} activity ({Name}); answering 500 so the channel retries")]
    private static partial void LogBotFailed(ILogger logger, Exception exception, string? type, string? name);
}
