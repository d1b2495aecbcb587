namespace FusionBot.Storage;

/// <summary>
/// A conditional write lost: the row changed since it was read (stale ETag), already exists (insert),
/// or no longer exists (replace/delete with an ETag). Thrown by every store and both backends alike.
/// </summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException()
    {
    }

    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
