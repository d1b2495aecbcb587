namespace FusionBot.Requests;

/// <summary>Puts a send that was given up on the request's audit trail, so the CoE can see who was never told.</summary>
public sealed class NotificationFailures(RequestWorkflow workflow, TimeProvider time)
{
    public const string Action = RequestActions.NotificationFailed;

    /// <summary>Records it once per <paramref name="itemId"/> (the outbox item given up), however often the failure is reported.</summary>
    public Task RecordAsync(string requestId, string what, string reason, CancellationToken cancellationToken, string? itemId = null) =>
        workflow.RecordAsync(new RequestHistoryEvent
        {
            RequestId = requestId,
            At = time.GetUtcNow(),
            Action = Action,
            Actor = RequestActors.FusionBot,
            Comment = $"{what}: {reason}",
        }, $"failed-{itemId ?? Guid.NewGuid().ToString("N")}", cancellationToken);
}
