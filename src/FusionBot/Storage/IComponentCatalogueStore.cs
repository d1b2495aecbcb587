using FusionBot.Requests;

namespace FusionBot.Storage;

/// <summary>An approved, security-reviewed building block makers can reuse. <see cref="Id"/> is the lower-cased name.</summary>
public sealed record CatalogueComponent
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The tiers (1–4) of the requests it suits.</summary>
    public required IReadOnlyList<int> Tiers { get; init; }

    public required Uri Link { get; init; }
    public required string Owner { get; init; }
    public required Person AddedBy { get; init; }
    public required DateTimeOffset AddedAt { get; init; }

    /// <summary>Set when a CoE admin retired it: kept for history, no longer listed or suggested.</summary>
    public DateTimeOffset? RetiredAt { get; init; }

    public static string IdOf(string name) => string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}

/// <summary>A maker said a request uses a component.</summary>
public sealed record ComponentUse(string ComponentId, string RequestId, Person User, DateTimeOffset At);

/// <summary>A maker opened a suggested component's link; <see cref="At"/> is the latest time they did.</summary>
public sealed record ComponentOpen(string ComponentId, string UserId, DateTimeOffset At);

/// <summary>
/// The component catalogue, its uses and opens, per tenant: PartitionKey = tenant, RowKey = component id (uses:
/// component id|request id; opens: component id|user id).
/// </summary>
public interface IComponentCatalogueStore
{
    /// <summary>Adds a component; false when an active one of that name exists (a retired one is replaced).</summary>
    Task<bool> AddAsync(string tenantId, CatalogueComponent component, CancellationToken cancellationToken = default);

    /// <summary>Marks it retired; false when there is no active component with that id.</summary>
    Task<bool> RetireAsync(string tenantId, string componentId, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<CatalogueComponent?> GetAsync(string tenantId, string componentId, CancellationToken cancellationToken = default);

    /// <summary>Every component, retired ones included, in id order.</summary>
    Task<IReadOnlyList<CatalogueComponent>> ListAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a use; false when that request already uses that component, which keeps its first time, so the digest
    /// counts a use in the week it was first reported.
    /// </summary>
    Task<bool> RecordUseAsync(string tenantId, ComponentUse use, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ComponentUse>> ListUsesAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Records that a user opened a component's link; opening it again only moves the time.</summary>
    Task RecordOpenAsync(string tenantId, ComponentOpen open, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ComponentOpen>> ListOpensAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes opens of every tenant not repeated since before <paramref name="before"/> (whole UTC days), handling at
    /// most <paramref name="max"/>. Returns how many were handled.
    /// </summary>
    Task<int> PurgeOpensAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default);
}
