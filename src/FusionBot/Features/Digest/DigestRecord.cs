using FusionBot.Protocol.Models;
using FusionBot.Requests;

namespace FusionBot.Features.Digest;

/// <summary>
/// One tenant's digest for one date: the figures as computed, the CoE note, and — once sent — who sent it and to whom.
/// <see cref="Id"/> is "{tenant}:{yyyy-MM-dd}" (the run's local date), so a week's digest is one record.
/// </summary>
public sealed record DigestRecord
{
    public required string Id { get; init; }
    public required string TenantId { get; init; }
    public required DigestFigures Figures { get; init; }

    /// <summary>The model's summary of the week's themes; null without a model (the card shows keyword counts).</summary>
    public string? Themes { get; init; }

    public string? Note { get; init; }
    public required DateTimeOffset PreparedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public Person? SentBy { get; init; }

    /// <summary>The broadcast's recipients (<see cref="DigestRecipient.Key"/>), stored before their deliveries are queued.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    public static string IdFor(string tenantId, DateOnly date) => $"{tenantId}:{date:yyyy-MM-dd}";

    /// <summary>Every delivery id starts with this, so deliveries are one key range (the retention run purges them apart).</summary>
    public const string DeliveryIdPrefix = "digest:";

    /// <summary>The outbox id of the delivery to one recipient: the same recipient of the same digest is sent to once.</summary>
    public string DeliveryId(string recipientKey) => $"{DeliveryIdPrefix}{Id}:{recipientKey}";
}

/// <summary>A tenant's digest desk: the digest being prepared or last sent, and the CoE note for the next one.</summary>
public sealed record DigestDesk(string? CurrentId, string? Note);

public enum DigestRecipientKind { Channel, Subscriber, Preview }

/// <summary>
/// Where one digest goes. Channels get a new thread in the channel; subscribers and admins (previews) get it 1:1
/// through their stored conversation reference.
/// </summary>
public sealed record DigestRecipient(
    DigestRecipientKind Kind,
    string Key,
    string? UserId = null,
    ConversationReference? Conversation = null,
    string? ChannelId = null,
    string? ServiceUrl = null);

/// <summary>What a digest delivery item carries.</summary>
public sealed record DigestDeliveryPayload(string TenantId, string DigestId, DigestRecipient Recipient);
