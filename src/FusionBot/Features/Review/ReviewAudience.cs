using System.Collections.Concurrent;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Protocol.Connector;
using FusionBot.Requests;

namespace FusionBot.Features.Review;

/// <summary>
/// Whom a review card refreshes for (<c>refresh.userIds</c>): the members of its channel who are reviewers, as Teams
/// lists them, and the maker, at most <see cref="AdaptiveCardJson.MaxRefreshUserIds"/>. Teams then asks for each of
/// them their own view (<see cref="ReviewVerbs.Refresh"/>); everyone else sees the status-only card. A roster Teams does
/// not answer, or one without reviewers, gives nobody: the card then shows the buttons to all, and the bot refuses
/// whoever is not a reviewer. Rosters are kept a few minutes, since every reviewer opening the card asks again.
/// </summary>
public sealed partial class ReviewAudience(AccessPolicy access, TimeProvider time, ILogger<ReviewAudience> logger)
{
    private const int PageSize = 500;
    private const int MaxPages = 20;
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<(string Tenant, string Channel), (IReadOnlyList<Person> Reviewers, DateTimeOffset Until)> _rosters = new();

    /// <summary>The Teams ids the card of <paramref name="request"/> in <paramref name="conversationId"/> refreshes for; empty when no reviewer is known.</summary>
    public async Task<IReadOnlyList<string>> RefreshForAsync(
        GovernanceRequest request, ConnectorClient connector, string serviceUrl, string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reviewers = (await ReviewersAsync(connector, request.TenantId, serviceUrl, ChannelOf(conversationId), cancellationToken))
            .Where(r => !ReviewDecisions.IsMaker(request, r))
            .Select(r => r.Id)
            .Take(AdaptiveCardJson.MaxRefreshUserIds - 1)
            .ToList();
        return reviewers.Count == 0 ? [] : [.. reviewers, request.Maker.Id];
    }

    private async Task<IReadOnlyList<Person>> ReviewersAsync(ConnectorClient connector, string tenantId, string serviceUrl, string channel, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_rosters.TryGetValue((tenantId, channel), out var known) && known.Until > now)
        {
            return known.Reviewers;
        }

        List<Person> reviewers = [];
        try
        {
            string? next = null;
            for (var page = 0; page < MaxPages && reviewers.Count < AdaptiveCardJson.MaxRefreshUserIds; page++)
            {
                var members = await connector.GetPagedMembersAsync(serviceUrl, channel, PageSize, next, cancellationToken);
                foreach (var member in members.Members.Where(m => !string.IsNullOrEmpty(m.Id)))
                {
                    var person = new Person(member.Id!, member.AadObjectId, member.Name);
                    if (await access.IsReviewerAsync(person, tenantId, cancellationToken))
                    {
                        reviewers.Add(person);
                    }
                }

                next = members.ContinuationToken;
                if (string.IsNullOrEmpty(next))
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRosterFailed(logger, exception.GetType().Name);
            return [];
        }

        _rosters[(tenantId, channel)] = (reviewers, now + Keep);
        return reviewers;
    }

    // A thread is "<channel>;messageid=<id>"; its members are the channel's.
    private static string ChannelOf(string conversationId) => conversationId.Split(';', 2)[0];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list the review channel's members ({ErrorType}); the card shows its buttons to everyone")]
    private static partial void LogRosterFailed(ILogger logger, string errorType);
}
