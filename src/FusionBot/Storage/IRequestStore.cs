using FusionBot.Requests;

namespace FusionBot.Storage;

/// <summary>Governance requests: PartitionKey = tenant, RowKey = id (FR-000123), every update ETag-guarded.</summary>
public interface IRequestStore
{
    /// <summary>
    /// Stores a new request under its Id when that is a request id (from <see cref="NewIdAsync"/>), otherwise under a
    /// freshly allocated one; the ETag
    /// is ignored. Returns the stored request with its Id and ETag. Throws <see cref="ConcurrencyConflictException"/>
    /// when a request with that id exists.
    /// </summary>
    Task<GovernanceRequest> CreateAsync(GovernanceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Allocates a request id (unique across instances) before the request is created, so a retry can find it.</summary>
    Task<string> NewIdAsync(CancellationToken cancellationToken = default);

    Task<GovernanceRequest?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the request if its <see cref="GovernanceRequest.ETag"/> is still current; returns it with the new ETag.
    /// Throws <see cref="ConcurrencyConflictException"/> when someone else updated it first. The maker never changes.
    /// </summary>
    Task<GovernanceRequest> UpdateAsync(GovernanceRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the request's entry in the maker index from <paramref name="fromMakerId"/> to <paramref name="toMakerId"/>:
    /// the maker changes only when an erasure pseudonymises them. Safe to repeat.
    /// </summary>
    Task MoveMakerIndexAsync(string tenantId, string requestId, string fromMakerId, string toMakerId, CancellationToken cancellationToken = default);

    /// <summary>Ids of the requests listed under <paramref name="makerId"/>, newest first, whether or not each was stored.</summary>
    Task<IReadOnlyList<string>> ListIdsByMakerAsync(string tenantId, string makerId, CancellationToken cancellationToken = default);

    /// <summary>The maker's requests, newest first. <paramref name="makerId"/> is the maker's <see cref="Person.Id"/>.</summary>
    Task<IReadOnlyList<GovernanceRequest>> ListByMakerAsync(string tenantId, string makerId, int limit, CancellationToken cancellationToken = default);

    /// <summary>A page of the tenant's requests in id order, after <paramref name="afterId"/> when given.</summary>
    Task<IReadOnlyList<GovernanceRequest>> ListAsync(string tenantId, int limit, string? afterId = null, CancellationToken cancellationToken = default);
}
