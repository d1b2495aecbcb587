namespace FusionBot.Protocol.Models;

/// <summary>Answer of a send, reply or update: the id of the message in the channel.</summary>
public sealed class ResourceResponse
{
    public string? Id { get; set; }
}

/// <summary>Body of <c>POST /v3/conversations</c>: a 1:1 chat or a new channel thread.</summary>
public sealed class ConversationParameters
{
    public bool? IsGroup { get; set; }
    public ChannelAccount? Bot { get; set; }
    public IList<ChannelAccount>? Members { get; set; }
    public string? TopicName { get; set; }
    public Activity? Activity { get; set; }
    public System.Text.Json.Nodes.JsonObject? ChannelData { get; set; }
    public string? TenantId { get; set; }
}

public sealed class ConversationResourceResponse
{
    public string? Id { get; set; }
    public string? ActivityId { get; set; }
    public string? ServiceUrl { get; set; }
}

public sealed class TeamsChannelAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? Email { get; set; }
    public string? UserPrincipalName { get; set; }
    public string? TenantId { get; set; }
    public string? UserRole { get; set; }
}

public sealed class PagedMembersResult
{
    public string? ContinuationToken { get; set; }
    public IList<TeamsChannelAccount> Members { get; set; } = [];
}
