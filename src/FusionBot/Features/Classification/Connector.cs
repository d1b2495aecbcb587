using System.Text.Json.Serialization;

namespace FusionBot.Features.Classification;

[JsonConverter(typeof(JsonStringEnumConverter<ConnectorStatus>))]
public enum ConnectorStatus { Approved, NeedsReview, Blocked }

/// <summary>One entry of the connector catalogue (configuration section <c>Connectors</c>).</summary>
public sealed record Connector
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public ConnectorStatus Status { get; init; }

    /// <summary>What to use instead of a blocked connector.</summary>
    public string? Alternative { get; init; }

    /// <summary>
    /// Why it has its status where the solution will live ("blocked by data policy 'Production lockdown' in Contoso
    /// Production"), when a data policy decided it; null for the configured catalogue's own word (not a setting).
    /// </summary>
    public string? Reason { get; private init; }

    /// <summary>This connector with the status and reason the data policies of one environment give it.</summary>
    public Connector Judged(ConnectorStatus status, string reason) => this with { Status = status, Alternative = null, Reason = reason };
}

/// <summary>The catalogue's verdict on a connector a maker picked.</summary>
public sealed record ConnectorCheck(Connector Connector, bool InCatalogue, string Message)
{
    public bool IsAllowed => Connector.Status != ConnectorStatus.Blocked;
}
