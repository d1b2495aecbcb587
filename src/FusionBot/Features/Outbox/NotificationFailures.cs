using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Outbox;

/// <summary>Puts a send that was given up on the request's audit trail, so the CoE can see who was never told.</summary>
public sealed class NotificationFailures(IRequestHistoryStore history, TimeProvider time)
{
    public const string Action = RequestActions.NotificationFailed;

    /// <summary>The bot itself, as the actor of what it does on its own.</summary>
    public static Person Bot { get; } = new("fusionbot", null, "FusionBot");

    public Task RecordAsync(string requestId, string what, string reason, CancellationToken cancellationToken) =>
        history.AppendAsync(new RequestHistoryEvent
        {
            RequestId = requestId,
            At = time.GetUtcNow(),
            Action = Action,
            Actor = Bot,
            Comment = $"{what}: {reason}",
        }, cancellationToken);
}
