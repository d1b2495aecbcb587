using FusionBot.Features.Classification;
using FusionBot.Features.Intake;
using FusionBot.Requests;

namespace FusionBot.UnitTests.Intake;

public sealed class IntakeDialogTests
{
    private readonly IntakeDialog _dialog;
    private readonly IntakeQuestions _questions;

    public IntakeDialogTests()
    {
        var catalogue = TestCatalogue.Create();
        _questions = new IntakeQuestions(catalogue);
        _dialog = new IntakeDialog(_questions, new TierClassifier(catalogue), catalogue);
    }

    private IntakeOutcome Say(IntakeOutcome outcome, string text) => _dialog.Handle(outcome.State, new IntakeInput(text));

    private IntakeOutcome AnswerAll(params string[] answers) =>
        answers.Aggregate(_dialog.Start(), Say);

    [Fact]
    public void Typed_answers_walk_every_question_to_a_summary_with_the_tier_and_reasons()
    {
        var outcome = AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My team", "8", "none", "internal", "none", "skip");

        var summary = Assert.IsType<ShowSummary>(outcome);
        Assert.Equal(1, summary.Classification.Tier);
        Assert.Equal("Expense tracker", summary.State.Answers.SolutionName);
        Assert.Equal(Audience.MyTeam, summary.State.Answers.Audience);
        Assert.Equal(8, summary.State.Answers.ExpectedUsers);
        Assert.Equal([DataSourceKinds.None], summary.State.Answers.DataSources);
        Assert.Null(summary.State.Answers.HoursSavedPerWeek);
    }

    [Fact]
    public void A_bad_answer_is_asked_again_with_the_reason_and_keeps_earlier_answers()
    {
        var outcome = AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My team", "lots");

        var ask = Assert.IsType<AskQuestion>(outcome);
        Assert.Equal(IntakeQuestions.Users, ask.Question.Key);
        Assert.Contains("not a number", ask.Problem);
        Assert.Equal("Expense tracker", ask.State.Answers.SolutionName);
    }

    [Fact]
    public void Back_returns_to_the_previous_question_and_keeps_the_answer_given_there()
    {
        var outcome = Say(AnswerAll("Expense tracker", "Track team expenses", "Power Apps"), "back");

        var ask = Assert.IsType<AskQuestion>(outcome);
        Assert.Equal(IntakeQuestions.PlatformKey, ask.Question.Key);
        Assert.Equal(Platform.PowerApps, ask.State.Answers.Platform);
    }

    [Fact]
    public void Back_at_the_first_question_says_there_is_nothing_before_it()
    {
        var ask = Assert.IsType<AskQuestion>(Say(_dialog.Start(), "back"));

        Assert.Equal(IntakeQuestions.Name, ask.Question.Key);
        Assert.Contains("first question", ask.Problem);
    }

    [Fact]
    public void Editing_one_answer_from_the_summary_returns_to_the_summary_with_the_new_tier()
    {
        var summary = AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My team", "8", "none", "internal", "none", "skip");

        var edit = Assert.IsType<AskQuestion>(Say(summary, "edit users"));
        Assert.Equal(IntakeQuestions.Users, edit.Question.Key);
        var after = Assert.IsType<ShowSummary>(Say(edit, "120"));

        Assert.Equal(3, after.Classification.Tier);
        Assert.Equal(120, after.State.Answers.ExpectedUsers);
    }

    [Fact]
    public void Edit_without_a_target_asks_which_answer_then_takes_its_number()
    {
        var summary = AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My team", "8", "none", "internal", "none", "skip");

        var choose = Assert.IsType<ChooseAnswerToEdit>(Say(summary, "edit"));
        var ask = Assert.IsType<AskQuestion>(Say(choose, "4"));

        Assert.Equal(IntakeQuestions.AudienceKey, ask.Question.Key);
    }

    [Fact]
    public void Confirm_on_the_summary_ends_the_dialog_with_the_answers()
    {
        var summary = AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My department", "30", "1", "internal", "none", "2.5");

        var confirmed = Assert.IsType<IntakeConfirmed>(Say(summary, "confirm"));

        Assert.Equal(2, confirmed.Classification.Tier);
        Assert.Equal("Expense tracker", confirmed.State.Answers.SolutionName);
        Assert.Equal(2.5, confirmed.State.Answers.HoursSavedPerWeek);
    }

    [Fact]
    public void Anything_else_on_the_summary_shows_it_again_with_the_choices()
    {
        var summary = AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My team", "8", "none", "internal", "none", "skip");

        var again = Assert.IsType<ShowSummary>(Say(summary, "maybe"));

        Assert.Contains("Confirm", again.Problem);
    }

    [Fact]
    public void A_blocked_connector_is_refused_with_the_reason_and_the_alternative()
    {
        var ask = Assert.IsType<AskQuestion>(AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My team", "8", "Dropbox"));

        Assert.Equal(IntakeQuestions.DataSources, ask.Question.Key);
        Assert.Contains("Dropbox", ask.Problem);
        Assert.Contains("OneDrive for Business", ask.Problem);
        Assert.Null(ask.State.Answers.DataSources);
    }

    [Fact]
    public void A_card_answer_for_an_earlier_step_does_not_overwrite_the_current_one()
    {
        var atUsers = AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My team");

        var outcome = _dialog.Handle(atUsers.State, new IntakeInput(null, CardStep: IntakeQuestions.PlatformKey, CardAnswer: "Other"));

        var ask = Assert.IsType<AskQuestion>(outcome);
        Assert.Equal(IntakeQuestions.Users, ask.Question.Key);
        Assert.Equal(Platform.PowerApps, ask.State.Answers.Platform);
        Assert.Contains("earlier step", ask.Problem);
    }

    [Fact]
    public void Card_answers_are_read_like_typed_ones()
    {
        var atSources = AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My team", "8");

        var outcome = _dialog.Handle(atSources.State, new IntakeInput(null, CardStep: IntakeQuestions.DataSources, CardAnswer: "external-api,sharepoint"));

        var ask = Assert.IsType<AskQuestion>(outcome);
        Assert.Equal(IntakeQuestions.SensitivityKey, ask.Question.Key);
        Assert.Equal([DataSourceKinds.ExternalApi, "sharepoint"], ask.State.Answers.DataSources);
    }

    [Fact]
    public void Suggested_answers_are_offered_and_yes_accepts_them_while_another_answer_replaces_them()
    {
        var suggested = new IntakeAnswers { SolutionName = "Finance app", Audience = Audience.MyDepartment };
        var start = Assert.IsType<AskQuestion>(_dialog.Start(suggested));
        Assert.Equal("Finance app", start.Suggestion);

        var purpose = Assert.IsType<AskQuestion>(Say(start, "yes"));
        Assert.Equal("Finance app", purpose.State.Answers.SolutionName);
        Assert.Null(purpose.Suggestion);

        var audience = Assert.IsType<AskQuestion>(Say(Say(purpose, "Budget tracking"), "Power Apps"));
        Assert.Equal(nameof(Audience.MyDepartment), audience.Suggestion);
        var users = Assert.IsType<AskQuestion>(Say(audience, "my team"));
        Assert.Equal(Audience.MyTeam, users.State.Answers.Audience);
    }

    [Fact]
    public void Reopening_with_previous_answers_starts_at_the_summary()
    {
        var previous = new IntakeAnswers
        {
            SolutionName = "Expense tracker", Purpose = "x", Platform = Platform.PowerApps, Audience = Audience.MyDepartment,
            ExpectedUsers = 20, DataSources = [DataSourceKinds.None], Sensitivity = DataSensitivity.Internal, CustomCode = CustomCode.None,
        };

        var summary = Assert.IsType<ShowSummary>(_dialog.Start(resubmitOf: "FR-000001", previous: previous));

        Assert.Equal("FR-000001", summary.State.ResubmitOf);
        Assert.Equal(2, summary.Classification.Tier);
    }

    [Fact]
    public void The_alternative_offered_for_a_blocked_connector_is_named_with_its_number_and_can_be_picked()
    {
        var blocked = Assert.IsType<AskQuestion>(AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My team", "8", "Dropbox"));
        var question = _questions.Get(IntakeQuestions.DataSources);
        var number = question.Choices.ToList().FindIndex(c => c.Value == "onedrive") + 1;

        Assert.Equal($"Dropbox is blocked by policy; use OneDrive for Business instead. Pick OneDrive for Business (option {number}) in its place.", blocked.Problem);
        var byName = Assert.IsType<AskQuestion>(Say(blocked, "OneDrive for Business"));
        var byNumber = Assert.IsType<AskQuestion>(Say(blocked, number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["onedrive"], byName.State.Answers.DataSources);
        Assert.Equal(["onedrive"], byNumber.State.Answers.DataSources);
        Assert.Equal(IntakeQuestions.SensitivityKey, byName.Question.Key);
    }

    [Theory]
    [InlineData("edit audience", IntakeQuestions.AudienceKey)]
    [InlineData("edit data sources", IntakeQuestions.DataSources)]
    [InlineData("Edit Data Sensitivity", IntakeQuestions.SensitivityKey)]
    [InlineData("edit custom code", IntakeQuestions.CustomCodeKey)]
    [InlineData("edit hours", IntakeQuestions.HoursSaved)]
    [InlineData("edit sources", IntakeQuestions.DataSources)]
    [InlineData("edit users", IntakeQuestions.Users)]
    [InlineData("edit 6", IntakeQuestions.DataSources)]
    public void Edit_followed_by_a_question_title_opens_that_question(string typed, string key)
    {
        var summary = AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My team", "8", "none", "internal", "none", "skip");

        var ask = Assert.IsType<AskQuestion>(Say(summary, typed));

        Assert.Equal(key, ask.Question.Key);
        Assert.True(ask.State.Editing);
    }

    [Fact]
    public void Edit_then_a_title_typed_at_the_choice_works_and_an_unknown_one_says_how_to_name_it()
    {
        var summary = AnswerAll("Expense tracker", "Track team expenses", "Power Apps", "My team", "8", "none", "internal", "none", "skip");
        var choose = Assert.IsType<ChooseAnswerToEdit>(Say(summary, "edit"));

        var unknown = Assert.IsType<ChooseAnswerToEdit>(Say(choose, "data"));
        Assert.Equal("\"data\" is not one of the answers. Pick the answer to change, or type its number (1–9) or its name, e.g. edit audience.", unknown.Problem);
        Assert.Equal(IntakeQuestions.DataSources, Assert.IsType<AskQuestion>(Say(choose, "data sources")).Question.Key);
        Assert.Equal(IntakeQuestions.AudienceKey, Assert.IsType<AskQuestion>(Say(choose, "edit audience")).Question.Key);
    }

    [Fact]
    public void The_makers_own_description_is_kept_with_the_answers_whatever_the_purpose_becomes()
    {
        var start = _dialog.Start(new IntakeAnswers { Purpose = "An app for finance that reads SAP" }, description: "An app for finance that reads SAP");

        var summary = Say(Say(Say(Say(Say(Say(Say(Say(Say(start,
            "Expense tracker"), "Budget tracking for my team"), "Power Apps"), "My team"), "8"), "none"), "internal"), "none"), "skip");

        Assert.Equal("Budget tracking for my team", summary.State.Answers.Purpose);
        Assert.Equal("An app for finance that reads SAP", summary.State.Answers.Description);
    }
}
