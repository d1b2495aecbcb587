using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Hosting;
using FusionBot.Protocol.Hosting;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Review;

/// <summary>What a review card action answers: the card to show, or an error the reviewer reads.</summary>
/// <param name="Notice">Set when nothing was decided because the request had moved on (an outdated card).</param>
public sealed record ReviewAnswer(JsonObject? Card, int ErrorStatus = 0, string? ErrorCode = null, string? ErrorMessage = null, string? Notice = null)
{
    public static ReviewAnswer Fail(int status, string code, string message) => new(null, status, code, message);

    public AdaptiveCardInvokeResponse ToAdaptiveCardResponse() => Card is { } card
        ? AdaptiveCardInvokeResponse.Card(card)
        : AdaptiveCardInvokeResponse.Error(ErrorStatus, ErrorCode!, ErrorMessage!);
}

/// <summary>
/// A reviewer's click on a review card (Action.Execute invoke, or its Action.Submit fallback): authorised (reviewers
/// only, never the maker), checked against the current status, recorded once with an ETag-guarded write and a
/// history event, answered with the updated card; the channel card, the thread and the maker follow via the outbox.
/// Only scheduling a design review calls out (Graph); everything else is storage alone, well within Teams' 5 s.
/// </summary>
public sealed class ReviewDecisions(
    IRequestStore requests,
    AccessPolicy access,
    ReviewCard cards,
    ReviewAudience audience,
    ReviewRouting routing,
    RequestWorkflow workflow,
    DesignReviewScheduling scheduling,
    IConversationReferenceStore references)
{
    private const int MaxAttempts = 5;

    public async Task<ReviewAnswer> DecideAsync(TurnContext turn, string verb, JsonObject data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(data);
        var actor = turn.Sender();
        var requestId = Read(data, ReviewVerbs.RequestIdKey);
        var request = requestId is null ? null : await requests.GetAsync(turn.TenantId(), requestId, cancellationToken);
        if (request is null)
        {
            return ReviewAnswer.Fail(404, "RequestNotFound", "This card's request no longer exists.");
        }

        if (IsMaker(request, actor))
        {
            return ReviewAnswer.Fail(403, "OwnRequest", $"You submitted {request.Id}, so you cannot decide it: another reviewer must.");
        }

        if (!await access.IsReviewerAsync(actor, request.TenantId, cancellationToken))
        {
            return ReviewAnswer.Fail(403, "NotReviewer", "Only pro-dev reviewers can act on review cards. Ask the CoE to add you as a reviewer.");
        }

        var action = ReviewVerbs.ActionOf(verb);
        var input = new ReviewInput(verb, (Read(data, ReviewVerbs.CommentKeyOf(verb)) ?? Read(data, ReviewVerbs.CommentKey))?.Trim(), Read(data, ReviewVerbs.TierKey), Read(data, ReviewVerbs.DateKey), Read(data, ReviewVerbs.TimeKey));
        SchedulingResult? scheduled = null;
        for (var attempt = 1; ; attempt++)
        {
            if (action is null || !RequestLifecycle.Allows(request.Status, request.Tier, action.Value, RequestRole.Reviewer)
                || action == RequestAction.Claim && request.Reviewer is not null)
            {
                var events = await workflow.HistoryAsync(request, cancellationToken);
                // The card shows the time in each reader's zone by itself; the text (older clients' fallback) in the sender's.
                var zone = turn.ClientTimeZone();
                string Notice(Func<DateTimeOffset, string> time) =>
                    action == RequestAction.Claim && request.Reviewer is { } claimedBy && request.Status == RequestStatus.PendingReview
                        ? $"{request.Id} is already picked up by {CardText.EscapeLine(claimedBy.Name ?? claimedBy.Id)}."
                        : $"{request.Id} is already {ReviewCard.DecidedBy(request, events, time)}.";
                return new ReviewAnswer(await CardForAsync(turn, request, events, ReviewCardReader.Reviewer, Notice(CardWords.When), cancellationToken),
                    Notice: Notice(at => LocalTime.Format(at, zone)));
            }

            if (Validate(request, input) is { } invalid)
            {
                return invalid;
            }

            if (action == RequestAction.ScheduleDesignReview && scheduled is null)
            {
                DesignReviewScheduling.TryReadStart(input.Date, input.Time, out var start);
                scheduled = await scheduling.ScheduleAsync(request, actor, start, request.ReviewCard, turn.Connector, cancellationToken);
                if (scheduled.Meeting is null)
                {
                    return ReviewAnswer.Fail(502, "MeetingNotCreated", scheduled.Error!);
                }
            }

            try
            {
                var steps = await StepsAsync(request, action.Value, actor, input, scheduled, cancellationToken);
                var applied = await workflow.ApplyAsync(request, steps, cancellationToken);
                FusionBotTelemetry.Decided(request.Tier, RequestLifecycle.Find(request.Status, request.Tier, action.Value)!.HistoryAction);
                await routing.AfterAppliedAsync(applied.Request, cancellationToken);
                return action == RequestAction.Reclassify
                    ? new ReviewAnswer(ReviewCard.Retired(applied.Request, steps[0].RetiredCardText!))
                    : new ReviewAnswer(await CardForAsync(turn, applied.Request, applied.History, ReviewCardReader.Reviewer, null, cancellationToken));
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Someone decided first: re-read and answer as of their decision (usually "already decided by …").
                request = await requests.GetAsync(request.TenantId, request.Id, cancellationToken) ?? request;
            }
        }
    }

    /// <summary>
    /// The card as the sender should see it (Teams' refresh of a card that lists them): reviewers get the decisions,
    /// the maker their view, anyone else the status. Decides nothing.
    /// </summary>
    public async Task<ReviewAnswer> ViewAsync(TurnContext turn, JsonObject data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(data);
        var actor = turn.Sender();
        var requestId = Read(data, ReviewVerbs.RequestIdKey);
        var request = requestId is null ? null : await requests.GetAsync(turn.TenantId(), requestId, cancellationToken);
        if (request is null)
        {
            return ReviewAnswer.Fail(404, "RequestNotFound", "This card's request no longer exists.");
        }

        var reader = IsMaker(request, actor) ? ReviewCardReader.Maker
            : await access.IsReviewerAsync(actor, request.TenantId, cancellationToken) ? ReviewCardReader.Reviewer
            : ReviewCardReader.Channel;
        return new ReviewAnswer(await CardForAsync(turn, request, await workflow.HistoryAsync(request, cancellationToken), reader, null, cancellationToken));
    }

    /// <summary>An answered card keeps refreshing for the channel's reviewers, so the next reader again gets their own view.</summary>
    private async Task<JsonObject> CardForAsync(TurnContext turn, GovernanceRequest request, IReadOnlyList<RequestHistoryEvent> history,
        ReviewCardReader reader, string? notice, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var refreshFor = activity.ServiceUrl is { Length: > 0 } serviceUrl && activity.Conversation?.Id is { Length: > 0 } conversationId
            && activity.Conversation.ConversationType == ConversationTypes.Channel
            ? await audience.RefreshForAsync(request, turn.Connector, serviceUrl, conversationId, cancellationToken)
            : [];
        return cards.Build(request, history, notice, reader, refreshFor);
    }

    /// <summary>The decision as a lifecycle step; a reclassification is followed by the new tier's routing step.</summary>
    private async Task<IReadOnlyList<RequestStep>> StepsAsync(GovernanceRequest request, RequestAction action, Person actor, ReviewInput input,
        SchedulingResult? scheduled, CancellationToken cancellationToken)
    {
        // The maker is told the meeting's time in their own zone when their Teams client has told us it.
        var makerZone = scheduled is null ? null
            : LocalTime.Find(await references.GetTimeZoneForUserAsync(request.TenantId, request.Maker.AadObjectId, request.Maker.Id, cancellationToken));
        var decision = Decide(request, action, actor, input, scheduled, makerZone);
        if (action != RequestAction.Reclassify)
        {
            return [decision];
        }

        var newTier = int.Parse(input.Tier!, CultureInfo.InvariantCulture);
        var next = await routing.NextStepAsync(request with { Tier = newTier }, null, null, cancellationToken);
        return [decision, next];
    }

    private static ReviewAnswer? Validate(GovernanceRequest request, ReviewInput input)
    {
        var needsComment = input.Verb is ReviewVerbs.RequestChanges or ReviewVerbs.Reject or ReviewVerbs.Reclassify;
        if (needsComment && string.IsNullOrWhiteSpace(input.Comment))
        {
            var what = input.Verb switch
            {
                ReviewVerbs.RequestChanges => "what the maker should change",
                ReviewVerbs.Reject => "why it is rejected",
                _ => "why it belongs in another tier",
            };
            return ReviewAnswer.Fail(400, "CommentRequired", $"Please write {what} in the comment box, then press the button again.");
        }

        if (input.Verb == ReviewVerbs.Reclassify
            && (!int.TryParse(input.Tier, NumberStyles.None, CultureInfo.InvariantCulture, out var tier) || tier is < 2 or > 4 || tier == request.Tier))
        {
            return ReviewAnswer.Fail(400, "TierRequired", $"Choose the tier to move {request.Id} to (not Tier {request.Tier}).");
        }

        if (input.Verb == ReviewVerbs.ScheduleDesignReview && !DesignReviewScheduling.TryReadStart(input.Date, input.Time, out _))
        {
            return ReviewAnswer.Fail(400, "DateRequired", "Pick the design review's date and time (UTC), then press Schedule again.");
        }

        return null;
    }

    private static RequestStep Decide(GovernanceRequest request, RequestAction action, Person actor, ReviewInput input, SchedulingResult? scheduled,
        TimeZoneInfo? makerZone)
    {
        var title = $"{request.Id} · {CardText.EscapeLine(request.Title)}";
        var name = CardText.EscapeLine(actor.Name ?? actor.Id);
        var said = input.Comment is { Length: > 0 } c ? $"\n\n> {CardText.Escape(c, 1000)}" : "";
        var comment = input.Comment is { Length: > 0 } text ? $": {CardText.Escape(text, 1000)}" : ".";
        var meetingStart = scheduled?.Meeting?.Start ?? default;
        var (threadVerb, makerText) = action switch
        {
            RequestAction.Claim => ("picked it up", $"👋 {name} picked up {title} and is reviewing it."),
            RequestAction.Approve => ("approved it", $"✅ {title} was **approved** by {name}.{said}"),
            RequestAction.RequestChanges => ("requested changes",
                $"✏️ {name} asked for changes to {title}:{said}\n\nWhen you have made them, type **resubmit {request.Id}**."),
            RequestAction.Reject => ("rejected it", $"❌ {title} was **rejected** by {name}.{said}"),
            RequestAction.Reclassify => ("reclassified it", ""),
            RequestAction.ScheduleDesignReview => ($"scheduled the design review for {LocalTime.Format(meetingStart, null)}",
                $"📅 {name} scheduled the design review of {title} for {LocalTime.Format(meetingStart, makerZone)}."
                + (scheduled!.Meeting!.JoinUrl is { } url ? $" [Join the Teams meeting]({url})" : "")
                + (scheduled.Uninvited.Count > 0 ? $" Not invited by email (no address known): {CardText.EscapeLine(string.Join(", ", scheduled.Uninvited))}." : "")),
            RequestAction.TakeOwnership => ("took ownership", $"🛠 {name} took ownership of {title} and will build it with you."),
            _ => ("marked it delivered", $"🎉 {title} was **delivered** by {name}."),
        };

        var reclassify = action == RequestAction.Reclassify;
        var newTier = reclassify ? int.Parse(input.Tier!, CultureInfo.InvariantCulture) : request.Tier;
        var moved = $"Reclassified from Tier {request.Tier} to Tier {newTier} by **{name}**{comment}";
        return new RequestStep(action, actor, RequestRole.Reviewer)
        {
            Change = r => r with
            {
                Tier = newTier,
                Reviewer = action == RequestAction.Deliver ? r.Reviewer ?? actor : actor,
                LastComment = input.Comment is { Length: > 0 } ? input.Comment : r.LastComment,
                DesignReview = scheduled?.Meeting ?? r.DesignReview,
                ReviewCard = reclassify ? null : r.ReviewCard,
                Reasons = reclassify ? [.. r.Reasons, $"Reclassified by a reviewer: {input.Comment}"] : r.Reasons,
            },
            Comment = input.Comment is { Length: > 0 } ? input.Comment : null,
            ThreadText = reclassify ? moved : $"**{name}** {threadVerb}{comment}",
            MakerText = reclassify ? $"{title} was reclassified to **Tier {newTier}** by {name}{comment}" : makerText,
            RetiredCardText = reclassify ? moved : null,
        };
    }

    /// <summary>The maker never decides their own request, whichever id the click carries.</summary>
    public static bool IsMaker(GovernanceRequest request, Person actor) =>
        string.Equals(request.Maker.Id, actor.Id, StringComparison.Ordinal)
        || (request.Maker.AadObjectId is { Length: > 0 } makerAad && string.Equals(makerAad, actor.AadObjectId, StringComparison.OrdinalIgnoreCase));

    private static string? Read(JsonObject data, string key) =>
        data[key] is JsonValue node && node.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private sealed record ReviewInput(string Verb, string? Comment, string? Tier, string? Date, string? Time);

}
