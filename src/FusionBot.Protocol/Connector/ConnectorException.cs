using System.Net;

namespace FusionBot.Protocol.Connector;

/// <summary>The one failure the connector client reports: the HTTP status plus Teams' error code, when it sent one.</summary>
public sealed class ConnectorException : Exception
{
    public const string MessageWritesBlocked = "MessageWritesBlocked";

    /// <summary>Raised by the bot itself: the service URL is not on the allow-list, so nothing was sent.</summary>
    public const string ServiceUrlNotAllowed = "ServiceUrlNotAllowed";

    public ConnectorException()
    {
    }

    public ConnectorException(string message)
        : base(message)
    {
    }

    public ConnectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConnectorException(HttpStatusCode statusCode, string? errorCode, string? errorMessage, string message)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Teams' <c>error.code</c>, e.g. <c>MessageWritesBlocked</c> or <c>ConversationNotFound</c>.</summary>
    public string? ErrorCode { get; }

    public string? ErrorMessage { get; }

    /// <summary>
    /// True when trying again later cannot succeed: the conversation is gone (404), the user blocked the bot (403
    /// MessageWritesBlocked) or the service URL is not allowed. Callers drop such sends instead of retrying them.
    /// </summary>
    public bool IsPermanent =>
        StatusCode == HttpStatusCode.NotFound ||
        (StatusCode == HttpStatusCode.Forbidden &&
            (string.Equals(ErrorCode, MessageWritesBlocked, StringComparison.OrdinalIgnoreCase) ||
             string.Equals(ErrorCode, ServiceUrlNotAllowed, StringComparison.Ordinal)));
}
