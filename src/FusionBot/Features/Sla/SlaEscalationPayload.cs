using FusionBot.Features.Outbox;
using System.Text.Json.Serialization;

namespace FusionBot.Features.Sla;

/// <summary>Who one escalation message of a breach goes to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EscalationAudience>))]
public enum EscalationAudience
{
    /// <summary>A CoE admin, 1:1; the target is their Entra object id.</summary>
    Admin,

    /// <summary>A channel registered for the community/CoE role; the target is the channel id.</summary>
    CommunityChannel,

    /// <summary>The maker, 1:1; no target.</summary>
    Maker,
}

/// <summary>One message of a breach's escalation: a request's window (cycle) and one recipient.</summary>
public sealed record SlaEscalationPayload(string TenantId, string RequestId, int Cycle, EscalationAudience Audience, string? Target = null) : IRequestWork
{
    /// <summary>Deterministic: the same recipient of the same breach is one outbox item, however often the breach is handled.</summary>
    public string ItemId => Audience switch
    {
        EscalationAudience.Maker => $"sla:{RequestId}:{Cycle}:breach:maker",
        EscalationAudience.Admin => $"sla:{RequestId}:{Cycle}:breach:admin:{Target}",
        _ => $"sla:{RequestId}:{Cycle}:breach:channel:{Target}",
    };
}
