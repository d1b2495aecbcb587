using System.Collections.Concurrent;
using FusionBot.Requests;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Access;

/// <summary>
/// Who may do what: CoE admins by id or group, reviewers by id or group (admins may always review). Group answers
/// are cached briefly; with a group configured but no directory to ask, membership is denied and logged.
/// </summary>
public sealed partial class AccessPolicy(
    IOptions<GovernanceOptions> governance,
    IOptions<ReviewOptions> review,
    TimeProvider time,
    ILogger<AccessPolicy> logger,
    IGroupMembership? directory = null)
{
    private readonly ConcurrentDictionary<(string User, string Group), (bool Member, DateTimeOffset Until)> _cache = new();

    public Task<bool> IsAdminAsync(Person person, CancellationToken cancellationToken) =>
        IsInAsync(person, governance.Value.AdminIds, governance.Value.AdminGroupId, cancellationToken);

    public async Task<bool> IsReviewerAsync(Person person, CancellationToken cancellationToken) =>
        await IsInAsync(person, review.Value.ReviewerIds, review.Value.ReviewerGroupId, cancellationToken)
        || await IsAdminAsync(person, cancellationToken);

    /// <summary>
    /// <paramref name="refusal"/>, and when no CoE admin is configured at all, how to configure one: otherwise nobody
    /// could ever do what was refused, and nothing would say why.
    /// </summary>
    public string RefuseNonAdmin(string refusal) =>
        governance.Value.AdminIds.Count > 0 || !string.IsNullOrWhiteSpace(governance.Value.AdminGroupId)
            ? refusal
            : refusal + " No CoE admin is configured yet: set `Governance:AdminIds` (environment variable `Governance__AdminIds__0`) to an admin's Entra object id, or `Governance:AdminGroupId` to a group's.";

    private async Task<bool> IsInAsync(Person person, IReadOnlyCollection<string> ids, string? groupId, CancellationToken cancellationToken)
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
        if (_cache.TryGetValue((aadObjectId, groupId), out var cached) && cached.Until > now)
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

        _cache[(aadObjectId, groupId)] = (member, now + review.Value.MembershipCacheDuration);
        return member;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check membership of group {GroupId} ({ErrorType}); treated as not a member this time")]
    private static partial void LogDirectoryFailed(ILogger logger, string groupId, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {GroupId} is configured but Microsoft Graph is not; its members are not recognised")]
    private static partial void LogNoDirectory(ILogger logger, string groupId);
}
