using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Requests;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Review;

/// <summary>
/// The review card in the tier's channel, rendered from the stored request alone (so any instance, any time, renders
/// the same card): facts, reasons, answers, brief history, and the actions the current status allows.
/// Everything the maker typed is escaped.
/// </summary>
public sealed class ReviewCard(IntakeQuestions questions)
{
    private const int HistoryShown = 6;
    private static readonly int[] ReviewTiers = [2, 3, 4];

    private static readonly RequestStatus[] ReviewerDecided =
    [
        RequestStatus.Approved, RequestStatus.Rejected, RequestStatus.ChangesRequested, RequestStatus.DesignReviewScheduled,
        RequestStatus.InDevelopment, RequestStatus.Delivered,
    ];

    public JsonObject Build(GovernanceRequest request, IReadOnlyList<RequestHistoryEvent>? history = null, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<JsonNode> body = [];
        if (notice is not null)
        {
            body.Add(Colored(TextBlock(notice, bold: true), "Attention"));
        }

        if (request.SlaBreachedAt is { } breached && !RequestLifecycle.IsFinal(request.Status))
        {
            body.Add(Container([Colored(TextBlock($"⚠ Review SLA breached at {Time(breached)}", bold: true), "Attention")], ContainerStyle.Attention));
        }

        body.Add(Heading($"{request.Id} · {CardText.EscapeLine(request.Title)}"));
        body.Add(FactSet(Facts(request, history)));
        body.Add(TextBlock("Why this tier", bold: true));
        body.AddRange(request.Reasons.Select(r => TextBlock($"• {CardText.EscapeLine(r)}")));
        body.Add(TextBlock("Answers", bold: true));
        body.Add(FactSet(questions.All.Select(q => (q.Title, CardText.Escape(q.Display(q.Current(request.Answers)), 300)))));
        if (request.LastComment is { } comment)
        {
            body.Add(TextBlock("Last comment", bold: true));
            body.Add(TextBlock(CardText.Escape(comment, 1000)));
        }

        if (history is { Count: > 0 })
        {
            body.Add(TextBlock("History", bold: true));
            body.Add(FactSet(history.TakeLast(HistoryShown).Select(e => (Time(e.At), CardText.EscapeLine($"{RequestActions.Describe(e.Action)} by {Name(e.Actor)}")))));
        }

        var actions = Actions(request);
        if (actions.Count > 0)
        {
            body.AddRange(Inputs(request));
        }

        return AdaptiveCardJson.Create(body, actions);
    }

    /// <summary>A card that no longer follows the request (it moved to another tier's channel): what became of it, no actions.</summary>
    public static JsonObject Retired(GovernanceRequest request, string markdown) => AdaptiveCardJson.Create(
    [
        Heading($"{request.Id} · {CardText.EscapeLine(request.Title)}"),
        TextBlock(markdown),
    ]);

    /// <summary>The one-line summary Teams shows in notifications and the activity feed.</summary>
    public static string Summary(GovernanceRequest request) =>
        $"{request.Id} · Tier {request.Tier} · {RequestStatusText.Describe(request.Status)}: {CardText.Truncate(request.Title, 80)}";

    /// <summary>"approved by Ravi Reviewer at 2026-11-23 10:00 UTC": who decided (or withdrew) it; other statuses read plainly.</summary>
    public static string DecidedBy(GovernanceRequest request, IReadOnlyList<RequestHistoryEvent>? history)
    {
        var status = RequestStatusText.Describe(request.Status).ToLowerInvariant();
        if (!ReviewerDecided.Contains(request.Status) && request.Status != RequestStatus.Withdrawn)
        {
            return status;
        }

        var decision = history?.LastOrDefault(e => e.StatusAfter == request.Status);
        if (decision is not null)
        {
            return $"{status} by {Name(decision.Actor)} at {Time(decision.At)}";
        }

        // The decision's history event may not be written yet (a concurrent reader): the request itself names the reviewer.
        return request.Reviewer is { } reviewer && ReviewerDecided.Contains(request.Status)
            ? $"{status} by {Name(reviewer)} at {Time(request.UpdatedAt)}"
            : status;
    }

    private static List<(string, string)> Facts(GovernanceRequest request, IReadOnlyList<RequestHistoryEvent>? history)
    {
        List<(string, string)> facts =
        [
            ("Maker", CardText.EscapeLine(Name(request.Maker))),
            ("Tier", request.Tier.ToString(CultureInfo.InvariantCulture)),
            ("Status", CardText.EscapeLine(char.ToUpperInvariant(DecidedBy(request, history)[0]) + DecidedBy(request, history)[1..])),
            ("Submitted", Time(request.CreatedAt)),
        ];
        if (request.DueAt is { } due && !RequestLifecycle.IsFinal(request.Status))
        {
            facts.Add(("Review due", Time(due)));
        }

        if (request.Reviewer is { } reviewer)
        {
            facts.Add((request.Status is RequestStatus.InDevelopment or RequestStatus.Delivered ? "Owner" : "Reviewer", CardText.EscapeLine(Name(reviewer))));
        }

        if (request.DesignReview is { } meeting)
        {
            facts.Add(("Design review", Time(meeting.Start)));
            if (meeting.JoinUrl is { } joinUrl)
            {
                facts.Add(("Join", $"[Join the Teams meeting]({joinUrl})"));
            }
        }

        if (request.BacklogItem is { } item)
        {
            facts.Add(("Backlog", $"[#{CardText.EscapeLine(item.Id)}]({item.Url})"));
        }

        return facts;
    }

    private static List<JsonNode> Actions(GovernanceRequest request)
    {
        var data = new JsonObject { [ReviewVerbs.RequestIdKey] = request.Id };
        JsonObject Button(string verb, string title, ActionStyle style = ActionStyle.Default) => CardActions.Execute(verb, title, data, style);
        return AllowedVerbs(request).Select<string, JsonNode>(verb => verb switch
        {
            ReviewVerbs.Approve => Button(verb, "Approve", ActionStyle.Positive),
            ReviewVerbs.RequestChanges => Button(verb, "Request changes"),
            ReviewVerbs.Reject => Button(verb, "Reject", ActionStyle.Destructive),
            ReviewVerbs.Reclassify => Button(verb, "Reclassify"),
            ReviewVerbs.ScheduleDesignReview => Button(verb, "Schedule design review", ActionStyle.Positive),
            ReviewVerbs.TakeOwnership => Button(verb, "Take ownership", ActionStyle.Positive),
            _ => Button(verb, "Delivered", ActionStyle.Positive),
        }).ToList();
    }

    /// <summary>What a reviewer may do to the request in its current status: the card's buttons and the decision rules are one list.</summary>
    public static IReadOnlyList<string> AllowedVerbs(GovernanceRequest request) =>
        [.. RequestLifecycle.ReviewerActions(request.Status, request.Tier).Select(ReviewVerbs.VerbOf)];

    private static IEnumerable<JsonNode> Inputs(GovernanceRequest request)
    {
        var verbs = AllowedVerbs(request);
        if (verbs.Contains(ReviewVerbs.RequestChanges))
        {
            yield return CardInputs.Text(ReviewVerbs.CommentKey, "Comment or reason (needed to request changes, reject or reclassify)",
                multiline: true, maxLength: 1000);
        }

        if (verbs.Contains(ReviewVerbs.Reclassify))
        {
            yield return CardInputs.ChoiceSet(ReviewVerbs.TierKey, "Reclassify to",
                ReviewTiers.Where(t => t != request.Tier).Select(t => new Choice($"Tier {t}", t.ToString(CultureInfo.InvariantCulture))));
        }

        if (verbs.Contains(ReviewVerbs.ScheduleDesignReview))
        {
            yield return new JsonObject { ["type"] = "Input.Date", ["id"] = ReviewVerbs.DateKey, ["label"] = "Design review date (UTC)" };
            yield return new JsonObject { ["type"] = "Input.Time", ["id"] = ReviewVerbs.TimeKey, ["label"] = "Design review time (UTC)" };
        }
    }

    private static JsonObject Colored(JsonObject block, string color)
    {
        block["color"] = color;
        return block;
    }

    private static string Name(Person person) => person.Name ?? person.Id;

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
