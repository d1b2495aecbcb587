using FusionBot.Requests;

namespace FusionBot.Storage;

/// <summary>The roles a channel can be registered for.</summary>
public static class ChannelRoles
{
    public const string Tier2 = "tier2";
    public const string Tier3 = "tier3";
    public const string Tier4 = "tier4";
    public const string Community = "community";

    public static IReadOnlyList<string> All { get; } = [Tier2, Tier3, Tier4, Community];
}

/// <summary>A Teams channel the bot posts to, and who registered it when.</summary>
public sealed record ChannelRegistration
{
    public required string ChannelId { get; init; }
    public string? ChannelName { get; init; }
    public string? TeamId { get; init; }

    /// <summary>The team's Entra group id (Teams' <c>aadGroupId</c>): how Graph names the team.</summary>
    public string? TeamGroupId { get; init; }
    public string? TeamName { get; init; }
    public required string ServiceUrl { get; init; }
    public required string TenantId { get; init; }
    public required Person RegisteredBy { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
}

public sealed record ChannelRoute(string Role, ChannelRegistration Channel);

/// <summary>
/// Which channels serve which role (<see cref="ChannelRoles"/>) in a tenant; a channel may serve several roles. A
/// tenant sees and changes only its own routes.
/// </summary>
public interface IChannelRoutingStore
{
    /// <summary>Registers the channel for the role in its tenant, replacing an earlier registration of the same pair.</summary>
    Task RegisterAsync(string role, ChannelRegistration channel, CancellationToken cancellationToken = default);

    /// <summary>Returns false when the channel was not registered for the role in the tenant.</summary>
    Task<bool> UnregisterAsync(string tenantId, string role, string channelId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ChannelRegistration>> GetChannelsAsync(string tenantId, string role, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ChannelRoute>> ListAllAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Every tenant that ever registered a channel, for jobs that run per tenant (the digest).</summary>
    Task<IReadOnlyList<string>> TenantsAsync(CancellationToken cancellationToken = default);
}
