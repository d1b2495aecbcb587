using FusionBot.Storage;

namespace FusionBot.Requests;

/// <summary>
/// What one applied transition still has to leave behind, stored on the request row in the same ETag-guarded write
/// as its new status: its history events and its follow-up work, with ids fixed when it was decided. Carried out
/// idempotently (insert-if-absent, enqueue-once) and then removed by <see cref="RequestWorkflow.SettleAsync"/>.
/// </summary>
public sealed record PendingTransition(string Id, IReadOnlyList<RequestHistoryEvent> Events, IReadOnlyList<DueWorkItem> Work, bool StopSla);

/// <summary>The transition asked for is not in <see cref="RequestLifecycle"/> for the request's status, tier or the actor's role.</summary>
public sealed class TransitionNotAllowedException(string message) : InvalidOperationException(message);
