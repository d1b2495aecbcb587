namespace FusionBot.Protocol.Models;

/// <summary>Where a conversation lives: the starting point of every proactive send.</summary>
public sealed record ConversationReference
{
    public string? ActivityId { get; init; }
    public ChannelAccount? User { get; init; }
    public ChannelAccount? Bot { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public string? ChannelId { get; init; }
    public string? ServiceUrl { get; init; }
    public string? TenantId { get; init; }
    public string? Locale { get; init; }
}
