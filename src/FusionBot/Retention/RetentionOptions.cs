namespace FusionBot.Retention;

/// <summary>
/// How long operational records are kept (<c>Retention:*</c>). Requests and their history are the audit trail and
/// are kept unless <see cref="Requests"/> is set.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Ids of handled activities (redelivery check). At least 2 days: a redelivery within a day must still be caught.</summary>
    public TimeSpan ProcessedActivities { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Records of finished outbox items (sent, failed with the reason). Their ids can be queued again afterwards.</summary>
    public TimeSpan OutboxRecords { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Records of digest deliveries (one per recipient per week); `digest status` of an older digest counts them as pending.</summary>
    public TimeSpan DigestDeliveries { get; set; } = TimeSpan.FromDays(56);

    /// <summary>Dialogs (an unfinished request, a started resubmission) nobody continued; the maker starts again after.</summary>
    public TimeSpan DialogStates { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Records that someone opened a suggested component; the catalogue's "opened" counts cover this window.</summary>
    public TimeSpan ComponentOpens { get; set; } = TimeSpan.FromDays(180);

    /// <summary>
    /// Off (null) by default. When set: how long after its last transition a request in a final state (decided,
    /// certified, delivered, withdrawn) is deleted with its history and every row about it; the reports no longer count it.
    /// </summary>
    public TimeSpan? Requests { get; set; }

    /// <summary>Time of day (UTC) of the daily run.</summary>
    public TimeSpan RunAt { get; set; } = TimeSpan.FromHours(3);

    /// <summary>Records deleted per outbox item of the run; more continue in a follow-up item, so no item outlives its lease.</summary>
    public int BatchSize { get; set; } = 500;
}
