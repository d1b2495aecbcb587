using FusionBot.Requests;

namespace FusionBot.Features.Review;

/// <summary>The review card's Action.Execute verbs and the ids of its inputs (they arrive merged into the action data).</summary>
public static class ReviewVerbs
{
    public const string Claim = "review.claim";
    public const string Approve = "review.approve";
    public const string RequestChanges = "review.changes";
    public const string Reject = "review.reject";
    public const string Reclassify = "review.reclassify";
    public const string ScheduleDesignReview = "review.schedule";
    public const string TakeOwnership = "review.own";
    public const string Delivered = "review.delivered";

    /// <summary>Teams asks for the card as one reader should see it (the card's refresh action): decides nothing.</summary>
    public const string Refresh = "review.refresh";

    public const string RequestIdKey = "requestId";
    public const string CommentKey = "comment";
    public const string TierKey = "newTier";
    public const string DateKey = "meetingDate";
    public const string TimeKey = "meetingTime";

    /// <summary>The comment box of one decision's form on the card; <see cref="CommentKey"/> is read too (older cards, the text fallback).</summary>
    public static string CommentKeyOf(string verb) => $"{CommentKey}-{verb}";

    /// <summary>The lifecycle action a verb asks for; null for an unknown verb.</summary>
    public static RequestAction? ActionOf(string? verb) => verb switch
    {
        Claim => RequestAction.Claim,
        Approve => RequestAction.Approve,
        RequestChanges => RequestAction.RequestChanges,
        Reject => RequestAction.Reject,
        Reclassify => RequestAction.Reclassify,
        ScheduleDesignReview => RequestAction.ScheduleDesignReview,
        TakeOwnership => RequestAction.TakeOwnership,
        Delivered => RequestAction.Deliver,
        _ => null,
    };

    public static string VerbOf(RequestAction action) => action switch
    {
        RequestAction.Claim => Claim,
        RequestAction.Approve => Approve,
        RequestAction.RequestChanges => RequestChanges,
        RequestAction.Reject => Reject,
        RequestAction.Reclassify => Reclassify,
        RequestAction.ScheduleDesignReview => ScheduleDesignReview,
        RequestAction.TakeOwnership => TakeOwnership,
        RequestAction.Deliver => Delivered,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a reviewer's action."),
    };

    public static bool IsReviewVerb(string? verb) => verb?.StartsWith("review.", StringComparison.Ordinal) == true;
}
