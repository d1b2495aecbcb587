namespace FusionBot.Requests;

/// <summary>One append-only audit event of a request: who did what, when, and the status/tier before and after.</summary>
public sealed record RequestHistoryEvent
{
    /// <summary>Unique within the request and fixed when the event is decided, so recording it again changes nothing.</summary>
    public string? Id { get; init; }

    public required string RequestId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Action { get; init; }
    public required Person Actor { get; init; }
    public RequestStatus? StatusBefore { get; init; }
    public RequestStatus? StatusAfter { get; init; }
    public int? TierBefore { get; init; }
    public int? TierAfter { get; init; }
    public string? Comment { get; init; }
}
