namespace FusionBot.Requests;

/// <summary>
/// What the reports need from a request's history, kept on the request itself so no report reads history: when it
/// was first decided, the tier it was submitted in, and its review windows (<see cref="TimeToDecision"/>). The
/// workflow folds each transition's events in, in the same write as the transition; rows stored before this existed
/// are filled in once at start from their history (<see cref="Storage.RequestIndexBackfill"/>).
/// </summary>
public sealed record RequestMilestones
{
    /// <summary>The first decision or self-certification: the portfolio's "decided".</summary>
    public DateTimeOffset? FirstDecidedAt { get; init; }

    /// <summary>The tier of the first <see cref="RequestActions.Submitted"/> event: the digest's "new by tier".</summary>
    public int? SubmittedTier { get; init; }

    /// <summary>Decided review windows, oldest first.</summary>
    public IReadOnlyList<ReviewWindow> Windows { get; init; } = [];

    /// <summary>The review window open now (sent for review, not yet decided), if any.</summary>
    public ReviewWindowStart? Open { get; init; }

    /// <summary>These milestones after <paramref name="events"/> (in time order), as <see cref="TimeToDecision.Windows"/> reads them.</summary>
    public RequestMilestones With(IEnumerable<RequestHistoryEvent> events, int currentTier)
    {
        ArgumentNullException.ThrowIfNull(events);
        var result = this;
        foreach (var e in events)
        {
            if (result.FirstDecidedAt is null && (RequestActions.Decisions.Contains(e.Action) || e.Action == RequestActions.SelfCertified))
            {
                result = result with { FirstDecidedAt = e.At };
            }

            if (result.SubmittedTier is null && e.Action == RequestActions.Submitted)
            {
                result = result with { SubmittedTier = e.TierAfter ?? currentTier };
            }

            if (e.Action == RequestActions.SentForReview)
            {
                result = result with { Open = new ReviewWindowStart(e.At, e.TierAfter ?? currentTier) };
            }
            else if (result.Open is { } open && RequestActions.Decisions.Contains(e.Action))
            {
                result = result with { Windows = [.. result.Windows, new ReviewWindow(open.Start, e.At, open.Tier)], Open = null };
            }
        }

        return result;
    }

    /// <summary>The milestones of a request from its whole history.</summary>
    public static RequestMilestones From(IEnumerable<RequestHistoryEvent> history, int currentTier) =>
        new RequestMilestones().With(history.OrderBy(e => e.At), currentTier);
}

/// <summary>A review window that was decided: opened at <see cref="Start"/> in <see cref="Tier"/>, closed at <see cref="DecidedAt"/>.</summary>
public sealed record ReviewWindow(DateTimeOffset Start, DateTimeOffset DecidedAt, int Tier)
{
    public TimeSpan Duration => DecidedAt - Start;
}

/// <summary>When and in which tier the open review window started.</summary>
public sealed record ReviewWindowStart(DateTimeOffset Start, int Tier);
