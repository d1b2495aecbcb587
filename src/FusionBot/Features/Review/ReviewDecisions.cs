using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Features.Portfolio;
using FusionBot.Features.Reminders;
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
    IRequestHistoryStore history,
    AccessPolicy access,
    ReviewCard cards,
    ReviewRouting routing,
    ReviewOutbox outbox,
    SlaScheduler sla,
    DesignReviewScheduling scheduling,
    PortfolioReviews portfolio,
    TimeProvider time)
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

        var input = new ReviewInput(verb, Read(data, ReviewVerbs.CommentKey)?.Trim(), Read(data, ReviewVerbs.TierKey), Read(data, ReviewVerbs.DateKey), Read(data, ReviewVerbs.TimeKey));
        SchedulingResult? scheduled = null;
        for (var attempt = 1; ; attempt++)
        {
            var events = await history.ListAsync(request.Id, cancellationToken);
            if (!ReviewCard.AllowedVerbs(request).Contains(verb))
            {
                var notice = $"{request.Id} is already {ReviewCard.DecidedBy(request, events)}.";
                return new ReviewAnswer(cards.Build(request, events, notice), Notice: notice);
            }

            if (Validate(request, input) is { } invalid)
            {
                return invalid;
            }

            if (verb == ReviewVerbs.ScheduleDesignReview && scheduled is null)
            {
                DesignReviewScheduling.TryReadStart(input.Date, input.Time, out var start);
                scheduled = await scheduling.ScheduleAsync(request, actor, start, request.ReviewCard, turn.Connector, cancellationToken);
                if (scheduled.Meeting is null)
                {
                    return ReviewAnswer.Fail(502, "MeetingNotCreated", scheduled.Error!);
                }
            }

            var decision = Decide(request, actor, input, scheduled);
            try
            {
                var stored = await requests.UpdateAsync(decision.Request, cancellationToken);
                return await RecordAsync(request, stored, decision, events, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Someone decided first: re-read and answer as of their decision (usually "already decided by …").
                request = await requests.GetAsync(request.TenantId, request.Id, cancellationToken) ?? request;
            }
        }
    }

    private async Task<ReviewAnswer> RecordAsync(GovernanceRequest before, GovernanceRequest stored, Decision decision,
        IReadOnlyList<RequestHistoryEvent> events, CancellationToken cancellationToken)
    {
        // The next periodic review first: the decision is stored and nothing failing after it may lose the review.
        await portfolio.ScheduleNextAsync(stored, cancellationToken);
        await history.AppendAsync(decision.Event, cancellationToken);
        await sla.StopAsync(stored.Id, cancellationToken);
        FusionBotTelemetry.Decided(before.Tier, decision.Event.Action);
        var actorName = CardText.EscapeLine(decision.Event.Actor.Name ?? decision.Event.Actor.Id);
        var comment = decision.Event.Comment is { } text ? $": {CardText.Escape(text, 1000)}" : ".";

        if (decision.Event.Action == RequestActions.Reclassified && before.ReviewCard is { } oldCard)
        {
            var moved = $"Reclassified from Tier {before.Tier} to Tier {stored.Tier} by **{actorName}**{comment}";
            await outbox.RetireCardAsync(stored, oldCard, moved, cancellationToken);
            await outbox.ReplyInThreadAsync(before, moved, cancellationToken);
            await outbox.TellMakerAsync(stored, $"{stored.Id} · {CardText.EscapeLine(stored.Title)} was reclassified to **Tier {stored.Tier}** by {actorName}{comment}", cancellationToken);
            await SendOnAsync(stored, decision.Event.Actor, cancellationToken);
            return new ReviewAnswer(ReviewCard.Retired(stored, moved));
        }

        await outbox.AnnounceAsync(stored, $"**{actorName}** {decision.ThreadVerb}{comment}", cancellationToken);
        await outbox.TellMakerAsync(stored, decision.MakerText, cancellationToken);
        return new ReviewAnswer(cards.Build(stored, [.. events, decision.Event]));
    }

    /// <summary>A reclassified request enters review afresh in its new tier's channel (a new card, a new SLA cycle).</summary>
    private async Task SendOnAsync(GovernanceRequest reclassified, Person actor, CancellationToken cancellationToken)
    {
        try
        {
            await routing.SendForReviewAsync(reclassified, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Withdrawn in the same instant: nothing to send on.
        }
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

    private Decision Decide(GovernanceRequest request, Person actor, ReviewInput input, SchedulingResult? scheduled)
    {
        var now = time.GetUtcNow();
        var title = $"{request.Id} · {CardText.EscapeLine(request.Title)}";
        var name = CardText.EscapeLine(actor.Name ?? actor.Id);
        var said = input.Comment is { Length: > 0 } c ? $"\n\n> {CardText.Escape(c, 1000)}" : "";
        var (status, action, threadVerb, makerText) = input.Verb switch
        {
            ReviewVerbs.Approve => (RequestStatus.Approved, RequestActions.Approved, "approved it", $"✅ {title} was **approved** by {name}.{said}"),
            ReviewVerbs.RequestChanges => (RequestStatus.ChangesRequested, RequestActions.ChangesRequested, "requested changes",
                $"✏️ {name} asked for changes to {title}:{said}\n\nWhen you have made them, type **resubmit {request.Id}**."),
            ReviewVerbs.Reject => (RequestStatus.Rejected, RequestActions.Rejected, "rejected it", $"❌ {title} was **rejected** by {name}.{said}"),
            ReviewVerbs.Reclassify => (RequestStatus.PendingRouting, RequestActions.Reclassified, "reclassified it", ""),
            ReviewVerbs.ScheduleDesignReview => (RequestStatus.DesignReviewScheduled, RequestActions.DesignReviewScheduled,
                $"scheduled the design review for {scheduled!.Meeting!.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}",
                $"📅 {name} scheduled the design review of {title} for {scheduled.Meeting.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}."
                + (scheduled.Meeting.JoinUrl is { } url ? $" [Join the Teams meeting]({url})" : "")
                + (scheduled.Uninvited.Count > 0 ? $" Not invited by email (no address known): {CardText.EscapeLine(string.Join(", ", scheduled.Uninvited))}." : "")),
            ReviewVerbs.TakeOwnership => (RequestStatus.InDevelopment, RequestActions.OwnershipTaken, "took ownership",
                $"🛠 {name} took ownership of {title} and will build it with you."),
            _ => (RequestStatus.Delivered, RequestActions.Delivered, "marked it delivered", $"🎉 {title} was **delivered** by {name}."),
        };

        var newTier = input.Verb == ReviewVerbs.Reclassify ? int.Parse(input.Tier!, CultureInfo.InvariantCulture) : request.Tier;
        var keepsReviewer = input.Verb is ReviewVerbs.Delivered;
        var updated = request with
        {
            Status = status,
            Tier = newTier,
            Reviewer = keepsReviewer ? request.Reviewer ?? actor : actor,
            LastComment = input.Comment is { Length: > 0 } ? input.Comment : request.LastComment,
            DesignReview = scheduled?.Meeting ?? request.DesignReview,
            ReviewCard = input.Verb == ReviewVerbs.Reclassify ? null : request.ReviewCard,
            Reasons = input.Verb == ReviewVerbs.Reclassify ? [.. request.Reasons, $"Reclassified by a reviewer: {input.Comment}"] : request.Reasons,
            UpdatedAt = now,
        };
        var historyEvent = new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = now,
            Action = action,
            Actor = actor,
            StatusBefore = request.Status,
            StatusAfter = status,
            TierBefore = request.Tier,
            TierAfter = newTier,
            Comment = input.Comment is { Length: > 0 } ? input.Comment : null,
        };
        return new Decision(updated, historyEvent, threadVerb, makerText);
    }

    /// <summary>The maker never decides their own request, whichever id the click carries.</summary>
    public static bool IsMaker(GovernanceRequest request, Person actor) =>
        string.Equals(request.Maker.Id, actor.Id, StringComparison.Ordinal)
        || (request.Maker.AadObjectId is { Length: > 0 } makerAad && string.Equals(makerAad, actor.AadObjectId, StringComparison.OrdinalIgnoreCase));

    private static string? Read(JsonObject data, string key) =>
        data[key] is JsonValue node && node.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private sealed record ReviewInput(string Verb, string? Comment, string? Tier, string? Date, string? Time);

    private sealed record Decision(GovernanceRequest Request, RequestHistoryEvent Event, string ThreadVerb, string MakerText);
}
