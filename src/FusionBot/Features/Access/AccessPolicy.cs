using System.Collections.Concurrent;
using FusionBot.Requests;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Access;

/// <summary>
/// Who may do what in a tenant: CoE admins by id or group, reviewers by id or group (admins may always review), taken
/// from the lists that belong to that tenant (<see cref="GovernanceOptions"/>): an object id is an admin only in its
/// own tenant. Group answers are cached briefly; with a group configured but no directory to ask, membership is
/// denied and logged.
/// </summary>
public sealed partial class AccessPolicy(
    IOptions<GovernanceOptions> governance,
    IOptions<ReviewOptions> review,
    TimeProvider time,
    ILogger<AccessPolicy> logger,
    IGroupMembership? directory = null)
{
    private readonly ConcurrentDictionary<(string Tenant, string User, string Group), (bool Member, DateTimeOffset Until)> _cache = new();

    public Task<bool> IsAdminAsync(Person person, string tenantId, CancellationToken cancellationToken)
    {
        var lists = ListsOf(tenantId);
        return IsInAsync(person, tenantId, lists.AdminIds, lists.AdminGroupId, cancellationToken);
    }

    public async Task<bool> IsReviewerAsync(Person person, string tenantId, CancellationToken cancellationToken)
    {
        var lists = ListsOf(tenantId);
        return await IsInAsync(person, tenantId, lists.ReviewerIds, lists.ReviewerGroupId, cancellationToken)
            || await IsAdminAsync(person, tenantId, cancellationToken);
    }

    /// <summary>
    /// <paramref name="refusal"/>, and when the tenant has no CoE admin configured at all, how to configure one:
    /// otherwise nobody could ever do what was refused, and nothing would say why.
    /// </summary>
    public string RefuseNonAdmin(string refusal, string tenantId)
    {
        var lists = ListsOf(tenantId);
        return lists.AdminIds.Count > 0 || !string.IsNullOrWhiteSpace(lists.AdminGroupId)
            ? refusal
            : refusal + " No CoE admin is configured yet: set `Governance:AdminIds` (environment variable `Governance__AdminIds__0`) to an admin's Entra object id, or `Governance:AdminGroupId` to a group's.";
    }

    /// <summary>The admins listed by id for <paramref name="tenantId"/>: who is told 1:1 of its breaches, overdue reviews and digests.</summary>
    public IReadOnlyList<string> AdminIdsOf(string tenantId) => [.. ListsOf(tenantId).AdminIds.Distinct(StringComparer.OrdinalIgnoreCase)];

    private TenantAccessOptions ListsOf(string tenantId)
    {
        var options = governance.Value;
        foreach (var (tenant, lists) in options.Tenants)
        {
            if (string.Equals(tenant, tenantId, StringComparison.OrdinalIgnoreCase))
            {
                return lists;
            }
        }

        var topLevel = new TenantAccessOptions
        {
            AdminIds = options.AdminIds,
            AdminGroupId = options.AdminGroupId,
            ReviewerIds = review.Value.ReviewerIds,
            ReviewerGroupId = review.Value.ReviewerGroupId,
        };
        return string.IsNullOrWhiteSpace(options.TenantId) || string.Equals(options.TenantId, tenantId, StringComparison.OrdinalIgnoreCase)
            ? topLevel
            : new TenantAccessOptions();
    }

    private async Task<bool> IsInAsync(Person person, string tenantId, IReadOnlyCollection<string> ids, string? groupId, CancellationToken cancellationToken)
    {
        if (person.AadObjectId is not { Length: > 0 } aadObjectId)
        {
            return false;
        }

        if (ids.Contains(aadObjectId, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(groupId))
        {
            return false;
        }

        if (directory is null)
        {
            LogNoDirectory(logger, groupId);
            return false;
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue((tenantId, aadObjectId, groupId), out var cached) && cached.Until > now)
        {
            return cached.Member;
        }

        bool member;
        try
        {
            member = await directory.IsMemberAsync(aadObjectId, groupId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Unknown is not "yes": deny this time, don't cache, ask again next time.
            LogDirectoryFailed(logger, groupId, exception.GetType().Name);
            return false;
        }

        _cache[(tenantId, aadObjectId, groupId)] = (member, now + review.Value.MembershipCacheDuration);
        return member;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check membership of group {GroupId} ({ErrorType}); treated as not a member this time")]
    private static partial void LogDirectoryFailed(ILogger logger, string groupId, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {GroupId} is configured but Microsoft Graph is not; its members are not recognised")]
    private static partial void LogNoDirectory(ILogger logger, string groupId);
}
