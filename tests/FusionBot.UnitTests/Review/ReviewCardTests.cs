using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Features.Chat;
using FusionBot.Features.Classification;
using FusionBot.Features.Review;
using FusionBot.Requests;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.UnitTests.Review;

public sealed class ReviewCardTests
{
    private static readonly DateTimeOffset Submitted = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly Person Maker = new("29:maker", "aad-maker", "Mia Maker");
    private static readonly Person Reviewer = new("29:reviewer", "aad-reviewer", "Ravi Reviewer");
    private readonly ReviewCard _cards = new(new IntakeQuestions(ConnectorCatalogue.Default), new FakeTimeProvider(Submitted));

    private static GovernanceRequest Request(int tier, RequestStatus status) => new()
    {
        Id = "FR-000042",
        TenantId = "t",
        Title = "Expense tracker",
        Answers = new IntakeAnswers { SolutionName = "Expense tracker", Platform = Platform.PowerApps, Audience = Audience.MyDepartment },
        Tier = tier,
        Reasons = ["Used across a department"],
        Status = status,
        Maker = Maker,
        CreatedAt = Submitted,
        UpdatedAt = Submitted,
        DueAt = Submitted.AddHours(48),
    };

    /// <summary>The verbs of every button a reader can press, in order, including those inside a ShowCard's form.</summary>
    private static List<string> Verbs(JsonObject card) => [.. ExecuteActions(card["actions"]).Select(a => a["verb"]!.GetValue<string>())];

    /// <summary>Every text on the card (TextBlocks, facts), unescaped, one per line.</summary>
    private static string Texts(JsonNode? node) => node switch
    {
        JsonObject obj => string.Join('\n', obj.Select(p => p.Key is "text" or "title" or "value" && p.Value is JsonValue v && v.TryGetValue<string>(out var text)
            ? text : Texts(p.Value)).Where(t => t.Length > 0)),
        JsonArray array => string.Join('\n', array.Select(Texts).Where(t => t.Length > 0)),
        _ => "",
    };

    private static IEnumerable<JsonObject> ExecuteActions(JsonNode? node) => node switch
    {
        JsonObject { } action when (string?)action["type"] == "Action.Execute" => [action],
        JsonObject { } action when (string?)action["type"] == "Action.ShowCard" => ExecuteActions(action["card"]!["actions"]),
        JsonArray actions => actions.SelectMany(ExecuteActions),
        _ => [],
    };

    [Theory]
    [InlineData(2, RequestStatus.PendingReview, "review.claim review.approve review.changes review.reject review.reclassify")]
    [InlineData(3, RequestStatus.PendingReview, "review.schedule review.approve review.changes review.reject review.reclassify")]
    [InlineData(3, RequestStatus.DesignReviewScheduled, "review.approve review.changes review.reject review.reclassify")]
    [InlineData(4, RequestStatus.PendingReview, "review.own review.changes review.reject review.reclassify")]
    [InlineData(4, RequestStatus.InDevelopment, "review.delivered")]
    [InlineData(2, RequestStatus.Approved, "")]
    [InlineData(2, RequestStatus.Withdrawn, "")]
    [InlineData(2, RequestStatus.ChangesRequested, "")]
    public async Task The_card_offers_exactly_what_the_status_allows_and_parses(int tier, RequestStatus status, string verbs)
    {
        var card = _cards.Build(Request(tier, status) with { Reviewer = status == RequestStatus.PendingReview ? null : Reviewer });

        Assert.Equal(verbs, string.Join(' ', Verbs(card)));
        Assert.All(ExecuteActions(card["actions"]), a => Assert.Equal("Action.Submit", a["fallback"]!["type"]!.GetValue<string>()));
        Assert.Equal(verbs.Contains("review.schedule", StringComparison.Ordinal), card.ToJsonString().Contains("Input.Date", StringComparison.Ordinal));
        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    [Fact]
    public async Task A_breached_review_is_marked_until_it_is_decided()
    {
        var breached = Request(2, RequestStatus.PendingReview) with { SlaBreachedAt = Submitted.AddHours(48) };

        var open = _cards.Build(breached);
        var decided = _cards.Build(breached with { Status = RequestStatus.Approved, Reviewer = Reviewer });

        Assert.Contains("Review overdue since {{DATE(2026-11-25T09:00:00Z, SHORT)}}", open.ToJsonString());
        Assert.DoesNotContain("Review overdue", decided.ToJsonString());
        await AdaptiveCardValidator.AssertValidAsync(open, decided);
    }

    [Fact]
    public async Task The_channel_card_refreshes_for_the_reviewers_it_names_and_shows_others_the_status_only()
    {
        var request = Request(2, RequestStatus.PendingReview);

        var channel = _cards.Build(request, reader: ReviewCardReader.Channel, refreshFor: ["29:reviewer", "29:maker"]);
        var reviewer = _cards.Build(request, reader: ReviewCardReader.Reviewer, refreshFor: ["29:reviewer", "29:maker"]);
        var maker = _cards.Build(request, reader: ReviewCardReader.Maker, refreshFor: ["29:reviewer", "29:maker"]);
        var nobodyKnown = _cards.Build(request, reader: ReviewCardReader.Channel);

        Assert.Equal(ReviewVerbs.Refresh, channel["refresh"]!["action"]!["verb"]!.GetValue<string>());
        Assert.Equal("FR-000042", channel["refresh"]!["action"]!["data"]![ReviewVerbs.RequestIdKey]!.GetValue<string>());
        Assert.Equal(["29:reviewer", "29:maker"], channel["refresh"]!["userIds"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.Empty(Verbs(channel));
        Assert.Empty(Verbs(maker));
        Assert.Contains("You submitted this request", maker.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["review.claim", "review.approve", "review.changes", "review.reject", "review.reclassify"], Verbs(reviewer));
        Assert.Null(nobodyKnown["refresh"]);
        Assert.Equal(Verbs(reviewer), Verbs(nobodyKnown));
        await AdaptiveCardValidator.AssertValidAsync(channel, reviewer, maker, nobodyKnown);
    }

    [Fact]
    public async Task Inputs_open_only_with_the_decision_that_needs_them_and_the_header_reads_in_words()
    {
        var card = _cards.Build(Request(3, RequestStatus.PendingReview));
        var json = Texts(card);

        Assert.All(card["body"]!.AsArray(), element => Assert.DoesNotContain("Input.", element!.ToJsonString(), StringComparison.Ordinal));
        Assert.Equal(["Action.ShowCard", "Action.Execute", "Action.ShowCard", "Action.ShowCard", "Action.ShowCard"],
            card["actions"]!.AsArray().Select(a => a!["type"]!.GetValue<string>()));
        Assert.Contains("Tier 3 · design review", json, StringComparison.Ordinal);
        Assert.Contains("due in 2 days ({{DATE(2026-11-25T09:00:00Z, SHORT)}} {{TIME(2026-11-25T09:00:00Z)}})", json, StringComparison.Ordinal);
        Assert.Equal(1, json.Split("FR-000042 · Expense tracker").Length - 1);
        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    [Fact]
    public async Task A_decided_card_shows_a_coloured_badge_with_who_and_when_and_nothing_to_press()
    {
        var approved = Request(2, RequestStatus.Approved) with { Reviewer = Reviewer, UpdatedAt = Submitted.AddHours(3) };

        var card = _cards.Build(approved, reader: ReviewCardReader.Reviewer);

        var badge = card["body"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["style"] == "good");
        Assert.Contains("**Approved by Ravi Reviewer** · {{DATE(2026-11-23T12:00:00Z, SHORT)}}", Texts(badge), StringComparison.Ordinal);
        Assert.Null(card["actions"]);
        Assert.DoesNotContain("Input.", card.ToJsonString(), StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    [Fact]
    public async Task A_claimed_review_names_its_reviewer_and_offers_no_second_claim()
    {
        var claimed = Request(2, RequestStatus.PendingReview) with { Reviewer = Reviewer };

        var card = _cards.Build(claimed);

        Assert.Contains("Picked up by", card.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["review.approve", "review.changes", "review.reject", "review.reclassify"], Verbs(card));
        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    [Fact]
    public void Who_decided_comes_from_history_or_else_from_the_request()
    {
        var approved = Request(2, RequestStatus.Approved) with { Reviewer = Reviewer, UpdatedAt = Submitted.AddHours(1) };
        RequestHistoryEvent[] history =
        [
            new() { RequestId = approved.Id, At = Submitted.AddHours(2), Action = "Approved", Actor = Reviewer with { Name = "Ravi R." }, StatusAfter = RequestStatus.Approved },
        ];

        string Utc(DateTimeOffset at) => LocalTime.Format(at, null);
        Assert.Equal("approved by Ravi R. at 2026-11-23 11:00 UTC", ReviewCard.DecidedBy(approved, history, Utc));
        Assert.Equal("approved by Ravi Reviewer at 2026-11-23 10:00 UTC", ReviewCard.DecidedBy(approved, [], Utc));
        Assert.Equal("approved by Ravi R. at 2026-11-23 12:00 UTC+1", ReviewCard.DecidedBy(approved, history, at => LocalTime.Format(at, LocalTime.Find("Europe/Berlin"))));
        Assert.Equal("pending review", ReviewCard.DecidedBy(Request(2, RequestStatus.PendingReview), [], Utc));
    }

    [Fact]
    public async Task Maker_text_on_the_card_is_inert()
    {
        const string title = "<img src=x onerror=alert(1)> **big** [x](http://evil) ${secret}";
        var card = _cards.Build(Request(2, RequestStatus.ChangesRequested) with { Title = title, LastComment = "# Fix _this_ & <that>", Reviewer = Reviewer });

        AdaptiveCardValidator.AssertUserTextInert(card, title, "# Fix _this_ & <that>");
        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    [Theory]
    [InlineData("a1", "29:other", true)]
    [InlineData("A1", "29:other", true)]
    [InlineData(null, "29:maker", true)]
    [InlineData("b2", "29:other", false)]
    [InlineData(null, "29:other", false)]
    public void The_maker_is_recognised_by_either_id(string? actorAad, string actorId, bool isMaker)
    {
        var request = Request(2, RequestStatus.PendingReview) with { Maker = new Person("29:maker", "a1", "Mia") };
        Assert.Equal(isMaker, ReviewDecisions.IsMaker(request, new Person(actorId, actorAad, "Someone")));
    }

    [Theory]
    [InlineData("resubmit FR-12", CommandName.Resubmit, "FR-000012")]
    [InlineData("Resubmit fr-000042", CommandName.Resubmit, "FR-000042")]
    [InlineData("withdraw FR-7", CommandName.Withdraw, "FR-000007")]
    [InlineData("resubmit", CommandName.None, null)]
    public void Resubmit_is_a_command_with_a_request_id(string text, CommandName name, string? argument)
    {
        var command = Command.Parse(text);
        Assert.Equal((name, argument), (command.Name, command.Argument));
    }

    [Theory]
    [InlineData("2030-03-04", "14:30", true)]
    [InlineData("2030-03-04", "14:30:00", true)]
    [InlineData("2030-03-04", null, false)]
    [InlineData("tomorrow", "14:30", false)]
    public void The_design_review_start_is_read_as_utc(string? date, string? time, bool valid)
    {
        Assert.Equal(valid, DesignReviewScheduling.TryReadStart(date, time, out var start));
        if (valid)
        {
            Assert.Equal(new DateTimeOffset(2030, 3, 4, 14, 30, 0, TimeSpan.Zero), start);
        }
    }
}
