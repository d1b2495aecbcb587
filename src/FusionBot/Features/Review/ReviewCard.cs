using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Requests;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Review;

/// <summary>Who reads a review card: the card in the channel shows its status; Teams refreshes it per reader (<see cref="ReviewVerbs.Refresh"/>).</summary>
public enum ReviewCardReader
{
    /// <summary>Anyone in the channel whom the card does not refresh for: status only.</summary>
    Channel,

    /// <summary>The maker: status, and that reviewers decide here.</summary>
    Maker,

    /// <summary>A reviewer: the decisions the status allows, with their inputs opened only when needed.</summary>
    Reviewer,
}

/// <summary>
/// The review card in the tier's channel, rendered from the stored request alone (so any instance, any time, renders
/// the same card): one compact header (id, title, tier, status, due), one grid of facts, the answers behind a toggle,
/// the last few history lines, and for reviewers the actions the current status allows. Times are written as
/// Teams' <c>{{DATE()}}</c>/<c>{{TIME()}}</c> functions, which every client shows in its reader's time zone.
/// Everything the maker typed is escaped.
/// </summary>
public sealed class ReviewCard(IntakeQuestions questions, TimeProvider time)
{
    private const int HistoryShown = 3;
    private const string AnswersId = "answers";
    private static readonly int[] ReviewTiers = [2, 3, 4];

    private static readonly RequestStatus[] ReviewerDecided =
    [
        RequestStatus.Approved, RequestStatus.Rejected, RequestStatus.ChangesRequested, RequestStatus.DesignReviewScheduled,
        RequestStatus.InDevelopment, RequestStatus.Delivered,
    ];

    /// <param name="refreshFor">
    /// Teams ids the card refreshes for (<see cref="ReviewVerbs.Refresh"/>), at most <see cref="AdaptiveCardJson.MaxRefreshUserIds"/>.
    /// A channel card that refreshes for nobody shows the reviewers' buttons to everyone (the bot refuses non-reviewers).
    /// </param>
    public JsonObject Build(GovernanceRequest request, IReadOnlyList<RequestHistoryEvent>? history = null, string? notice = null,
        ReviewCardReader reader = ReviewCardReader.Reviewer, IReadOnlyCollection<string>? refreshFor = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var refreshing = refreshFor is { Count: > 0 };
        var decides = reader == ReviewCardReader.Reviewer || reader == ReviewCardReader.Channel && !refreshing;
        List<JsonNode> body = [];
        if (notice is not null)
        {
            body.Add(Colored(TextBlock(notice, bold: true), "Attention"));
        }

        body.Add(Header(request));
        body.Add(StatusLine(request, history));
        if (request.SlaBreachedAt is { } breached && !RequestLifecycle.IsFinal(request.Status))
        {
            body.Add(Colored(TextBlock($"⚠ Review overdue since {When(breached)}", bold: true), "Attention"));
        }

        body.Add(FactSet(Facts(request)));
        body.Add(Small($"**Why Tier {request.Tier}:** {string.Join(" · ", request.Reasons.Select(r => CardText.EscapeLine(r)))}"));
        body.Add(AnswersToggle());
        body.Add(Hidden(Container([FactSet(questions.Facts(request.Answers).Select(f => (f.Title, CardText.Escape(f.Answer, 300))))]), AnswersId));
        if (request.LastComment is { } comment)
        {
            body.Add(Small($"**Last comment:** {CardText.Escape(comment, 1000)}"));
        }

        if (history is { Count: > 0 })
        {
            body.Add(Small(string.Join("\n\n", history.TakeLast(HistoryShown)
                .Select(e => $"{When(e.At)} · {CardText.EscapeLine(RequestActions.Describe(e.Action))} by {CardText.EscapeLine(Name(e.Actor))}")), subtle: true));
        }

        var actions = decides ? Actions(request) : [];
        if (!decides && !RequestLifecycle.IsFinal(request.Status))
        {
            body.Add(Small(reader == ReviewCardReader.Maker
                ? "You submitted this request: a reviewer decides it here, and FusionBot tells you in your chat."
                : "Reviewers see the decision buttons on this card.", subtle: true));
        }

        var card = AdaptiveCardJson.Create(body, actions);
        return refreshing
            ? card.WithRefresh(ReviewVerbs.Refresh, refreshFor!, new JsonObject { [ReviewVerbs.RequestIdKey] = request.Id })
            : card;
    }

    /// <summary>A card that no longer follows the request (it moved to another tier's channel): what became of it, no actions.</summary>
    public static JsonObject Retired(GovernanceRequest request, string markdown) => AdaptiveCardJson.Create(
    [
        TextBlock($"{request.Id} · {CardText.EscapeLine(request.Title)}", bold: true),
        TextBlock(markdown),
    ]);

    /// <summary>The one-line summary Teams shows in notifications and the activity feed.</summary>
    public static string Summary(GovernanceRequest request) =>
        $"{request.Id} · Tier {request.Tier} · {RequestStatusText.Describe(request.Status)}: {CardText.Truncate(request.Title, 80)}";

    /// <summary>"Tier 2 · async review": the tier as words, for the badge.</summary>
    public static string TierBadge(int tier) => RequestStatusText.DescribeTier(tier);

    /// <summary>
    /// "approved by Ravi Reviewer at 2026-11-23 11:00 UTC+1": who decided (or withdrew) it, the time written by
    /// <paramref name="time"/> (<see cref="CardWords.When"/> on a card, <see cref="LocalTime.Format"/> in a message); other statuses read plainly.
    /// </summary>
    public static string DecidedBy(GovernanceRequest request, IReadOnlyList<RequestHistoryEvent>? history, Func<DateTimeOffset, string> time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var status = RequestStatusText.Describe(request.Status).ToLowerInvariant();
        return Decision(request, history) is { } decision ? $"{status} by {Name(decision.By)} at {time(decision.At)}" : status;
    }

    private static (Person By, DateTimeOffset At)? Decision(GovernanceRequest request, IReadOnlyList<RequestHistoryEvent>? history)
    {
        if (!ReviewerDecided.Contains(request.Status) && request.Status != RequestStatus.Withdrawn)
        {
            return null;
        }

        if (history?.LastOrDefault(e => e.StatusAfter == request.Status) is { } decision)
        {
            return (decision.Actor, decision.At);
        }

        // The decision's history event may not be written yet (a concurrent reader): the request itself names the reviewer.
        return request.Reviewer is { } reviewer && ReviewerDecided.Contains(request.Status) ? (reviewer, request.UpdatedAt) : null;
    }

    private static JsonObject Header(GovernanceRequest request) => ColumnSet(
        Column([TextBlock($"{request.Id} · {CardText.EscapeLine(request.Title)}", TextSize.Medium, bold: true)]),
        Column([Container([TextBlock(TierBadge(request.Tier), TextSize.Small, bold: true)], ContainerStyle.Accent)], "auto"));

    /// <summary>The status as a coloured badge: a decision with who and when; an open review with its due time.</summary>
    private JsonObject StatusLine(GovernanceRequest request, IReadOnlyList<RequestHistoryEvent>? history)
    {
        var status = RequestStatusText.Describe(request.Status);
        var style = request.Status switch
        {
            RequestStatus.Approved or RequestStatus.Delivered => ContainerStyle.Good,
            RequestStatus.Rejected => ContainerStyle.Attention,
            RequestStatus.ChangesRequested => ContainerStyle.Warning,
            RequestStatus.DesignReviewScheduled or RequestStatus.InDevelopment => ContainerStyle.Accent,
            _ => ContainerStyle.Emphasis,
        };
        var text = Decision(request, history) is { } decision
            ? $"**{status} by {CardText.EscapeLine(Name(decision.By))}** · {When(decision.At)}"
            : $"**{status}**" + (request.DueAt is { } due && !RequestLifecycle.IsFinal(request.Status) ? $" · {Due(due)}" : "");
        return Container([TextBlock(text)], style);
    }

    private string Due(DateTimeOffset due)
    {
        var left = due - time.GetUtcNow();
        return left > TimeSpan.Zero
            ? $"due in {CardWords.Duration(left)} ({When(due)})"
            : $"was due {When(due)}";
    }

    private static List<(string, string)> Facts(GovernanceRequest request)
    {
        List<(string, string)> facts =
        [
            ("Maker", CardText.EscapeLine(Name(request.Maker))),
            ("Submitted", When(request.CreatedAt)),
        ];
        if (request.Reviewer is { } reviewer)
        {
            var role = request.Status switch
            {
                RequestStatus.InDevelopment or RequestStatus.Delivered => "Owner",
                RequestStatus.PendingReview => "Picked up by",
                _ => "Reviewer",
            };
            facts.Add((role, CardText.EscapeLine(Name(reviewer))));
        }

        if (request.DesignReview is { } meeting)
        {
            facts.Add(("Design review", When(meeting.Start) + (meeting.JoinUrl is { } joinUrl ? $" · [Join]({joinUrl})" : "")));
        }

        if (request.BacklogItem is { } item)
        {
            facts.Add(("Backlog", $"[#{CardText.EscapeLine(item.Id)}]({item.Url})"));
        }

        return facts;
    }

    private static JsonObject AnswersToggle() => ActionSet(new JsonObject
    {
        ["type"] = "Action.ToggleVisibility",
        ["title"] = "Show answers",
        ["targetElements"] = new JsonArray(AnswersId),
    });

    /// <summary>
    /// The reviewer's buttons: one-click ones run at once; those that need words or a choice open a small form under
    /// the card (Action.ShowCard) whose button sends it.
    /// </summary>
    private static List<JsonNode> Actions(GovernanceRequest request)
    {
        var data = new JsonObject { [ReviewVerbs.RequestIdKey] = request.Id };
        JsonObject Button(string verb, string title, ActionStyle style = ActionStyle.Default) => CardActions.Execute(verb, title, data, style);
        // Each form has its own comment box: ids are unique in a card, and a box left in a closed form is never sent.
        JsonObject Comment(string verb, string label) => CardInputs.Text(ReviewVerbs.CommentKeyOf(verb), label, multiline: true, maxLength: 1000,
            required: true, errorMessage: "Write a few words for the maker.");
        return AllowedVerbs(request).Where(verb => verb != ReviewVerbs.Claim || request.Reviewer is null).Select<string, JsonNode>(verb => verb switch
        {
            ReviewVerbs.Claim => Button(verb, "Claim"),
            ReviewVerbs.Approve => Button(verb, "Approve", ActionStyle.Positive),
            ReviewVerbs.RequestChanges => ShowCard("Request changes", [Comment(verb, "What should the maker change?")], Button(verb, "Send to the maker")),
            ReviewVerbs.Reject => ShowCard("Reject", [Comment(verb, "Why is it rejected?")], Button(verb, "Reject", ActionStyle.Destructive)),
            ReviewVerbs.Reclassify => ShowCard("Reclassify",
            [
                CardInputs.ChoiceSet(ReviewVerbs.TierKey, "Move to", ReviewTiers.Where(t => t != request.Tier).Select(t => new Choice(TierBadge(t), t.ToString(CultureInfo.InvariantCulture))),
                    required: true, errorMessage: "Choose the tier."),
                Comment(verb, "Why does it belong there?"),
            ], Button(verb, "Reclassify")),
            ReviewVerbs.ScheduleDesignReview => ShowCard("Schedule design review",
            [
                new JsonObject { ["type"] = "Input.Date", ["id"] = ReviewVerbs.DateKey, ["label"] = "Date (UTC)", ["isRequired"] = true, ["errorMessage"] = "Pick a date." },
                new JsonObject { ["type"] = "Input.Time", ["id"] = ReviewVerbs.TimeKey, ["label"] = "Time (UTC)", ["isRequired"] = true, ["errorMessage"] = "Pick a time." },
            ], Button(verb, "Schedule", ActionStyle.Positive)),
            ReviewVerbs.TakeOwnership => Button(verb, "Take ownership", ActionStyle.Positive),
            _ => Button(verb, "Delivered", ActionStyle.Positive),
        }).ToList();
    }

    private static JsonObject ShowCard(string title, IEnumerable<JsonNode> inputs, JsonObject send) => new()
    {
        ["type"] = "Action.ShowCard",
        ["title"] = title,
        ["card"] = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["body"] = new JsonArray([.. inputs]),
            ["actions"] = new JsonArray(send),
        },
    };

    /// <summary>What a reviewer may do to the request in its current status: the card's buttons and the decision rules are one list.</summary>
    public static IReadOnlyList<string> AllowedVerbs(GovernanceRequest request) =>
        [.. RequestLifecycle.ReviewerActions(request.Status, request.Tier).Select(ReviewVerbs.VerbOf)];

    private static JsonObject Small(string markdown, bool subtle = false) => TextBlock(markdown, TextSize.Small, subtle: subtle);

    private static JsonObject Hidden(JsonObject element, string id)
    {
        element["id"] = id;
        element["isVisible"] = false;
        return element;
    }

    private static JsonObject Colored(JsonObject block, string color)
    {
        block["color"] = color;
        return block;
    }

    private static string Name(Person person) => person.Name ?? person.Id;

    private static string When(DateTimeOffset at) => CardWords.When(at);
}
