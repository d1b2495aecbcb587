using System.Net;

namespace FusionBot.PowerPlatform;

/// <summary>A Power Platform call that failed, with the HTTP status and the service's error code when it gave one.</summary>
public sealed class PowerPlatformException : Exception
{
    public PowerPlatformException()
    {
    }

    public PowerPlatformException(string message)
        : base(message)
    {
    }

    public PowerPlatformException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PowerPlatformException(HttpStatusCode status, string? errorCode, string message)
        : base(message)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public HttpStatusCode? Status { get; }
    public string? ErrorCode { get; }
}
