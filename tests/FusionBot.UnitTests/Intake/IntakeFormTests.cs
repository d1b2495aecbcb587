using System.Text.Json.Nodes;
using FusionBot.Features.Classification;
using FusionBot.Features.Intake;
using FusionBot.Requests;
using FusionBot.TestKit.Cards;

namespace FusionBot.UnitTests.Intake;

public sealed class IntakeFormTests
{
    private readonly IntakeQuestions _questions;
    private readonly IntakeDialog _dialog;
    private readonly IntakeForm _form;

    public IntakeFormTests()
    {
        var catalogue = TestCatalogue.Create();
        _questions = new IntakeQuestions(catalogue);
        _dialog = new IntakeDialog(_questions, new TierClassifier(catalogue), catalogue);
        _form = new IntakeForm(_questions, catalogue);
    }

    /// <summary><see cref="Valid"/> as typed in the chat.</summary>
    private static readonly string[] ChatAnswers =
        ["Invoice approval", "Route invoices to finance", "Power Automate", "Several departments", "120", "sharepoint,outlook", "confidential", "none", "skip"];

    private static Dictionary<string, string> Valid() => new()
    {
        [IntakeQuestions.Name] = "Invoice approval",
        [IntakeQuestions.Purpose] = "Route invoices to finance",
        [IntakeQuestions.PlatformKey] = nameof(Platform.PowerAutomate),
        [IntakeQuestions.AudienceKey] = nameof(Audience.SeveralDepartments),
        [IntakeQuestions.Users] = "120",
        [IntakeQuestions.DataSources] = "sharepoint,outlook",
        [IntakeQuestions.SensitivityKey] = nameof(DataSensitivity.Confidential),
        [IntakeQuestions.CustomCodeKey] = nameof(CustomCode.None),
        [IntakeQuestions.HoursSaved] = "",
    };

    private static List<JsonObject> Inputs(JsonObject card) =>
        [.. card["body"]!.AsArray().OfType<JsonObject>().Where(e => ((string?)e["type"])!.StartsWith("Input.", StringComparison.Ordinal))];

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "text" && p.Value is JsonValue v ? [v.GetValue<string>()] : Texts(p.Value)),
        JsonArray a => a.SelectMany(Texts),
        _ => [],
    };

    [Fact]
    public async Task The_form_asks_every_intake_question_in_order_with_its_choices_and_without_blocked_connectors()
    {
        var card = _form.Card();

        var inputs = Inputs(card);
        Assert.Equal(_questions.All.Select(q => q.Key), inputs.Select(i => (string)i["id"]!));
        Assert.Equal(_questions.All.Select(q => q.Prompt), inputs.Select(i => (string)i["label"]!));
        var platform = inputs.Single(i => (string)i["id"]! == IntakeQuestions.PlatformKey);
        Assert.Equal(_questions.Get(IntakeQuestions.PlatformKey).Choices.Select(c => c.Value), platform["choices"]!.AsArray().Select(c => (string)c!["value"]!));
        var sources = inputs.Single(i => (string)i["id"]! == IntakeQuestions.DataSources);
        Assert.True((bool)sources["isMultiSelect"]!);
        var offered = sources["choices"]!.AsArray().Select(c => (string)c!["value"]!).ToList();
        Assert.Contains("sharepoint", offered);
        Assert.DoesNotContain("dropbox", offered);
        Assert.Contains(Texts(card["body"]), t => t.Contains("Dropbox (use OneDrive for Business)", StringComparison.Ordinal));
        Assert.Equal(IntakeForm.FormKey, Assert.Single(card["actions"]!.AsArray())!["data"]!.AsObject().Single().Key);
        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    [Fact]
    public async Task A_form_sent_back_keeps_the_answers_and_puts_each_problem_above_its_question()
    {
        var values = Valid();
        values[IntakeQuestions.Users] = "lots";
        values[IntakeQuestions.Name] = "<b>Invoice</b> approval";

        var card = _form.Card(values, new Dictionary<string, string> { [IntakeQuestions.Users] = "\"lots\" is not a number." });

        var inputs = Inputs(card);
        Assert.Equal("lots", (string)inputs.Single(i => (string)i["id"]! == IntakeQuestions.Users)["value"]!);
        Assert.Equal("<b>Invoice</b> approval", (string)inputs.Single(i => (string)i["id"]! == IntakeQuestions.Name)["value"]!);
        Assert.Equal("sharepoint,outlook", (string)inputs.Single(i => (string)i["id"]! == IntakeQuestions.DataSources)["value"]!);
        var body = card["body"]!.AsArray().OfType<JsonObject>().ToList();
        var usersAt = body.FindIndex(e => (string?)e["id"] == IntakeQuestions.Users);
        Assert.Equal("attention", (string)body[usersAt - 1]["style"]!);
        Assert.Contains("is not a number", Texts(body[usersAt - 1]).Single(), StringComparison.Ordinal);
        Assert.Contains("One answer needs a change", string.Join("\n", Texts(card["body"])), StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    [Fact]
    public void Valid_answers_give_the_summary_and_tier_the_chat_gives_for_the_same_answers()
    {
        var result = _dialog.SubmitForm(Valid());

        var summary = Assert.IsType<ShowSummary>(result.Summary);
        Assert.Empty(result.Problems);
        Assert.Equal(IntakeState.SummaryStep, summary.State.Step);
        Assert.Equal(_questions.All.Select(q => q.Key), summary.State.Answered);
        Assert.Null(summary.State.Answers.HoursSavedPerWeek);
        var chat = ChatAnswers.Aggregate(_dialog.Start(), (outcome, text) => _dialog.Handle(outcome.State, new IntakeInput(text)));
        var chatSummary = Assert.IsType<ShowSummary>(chat);
        Assert.Equal(chatSummary.State.Answers with { DataSources = null }, summary.State.Answers with { DataSources = null });
        Assert.Equal(chatSummary.State.Answers.DataSources, summary.State.Answers.DataSources);
        Assert.Equal(chatSummary.Classification.Tier, summary.Classification.Tier);
        Assert.Equal(chatSummary.Classification.Reasons, summary.Classification.Reasons);
    }

    [Fact]
    public void Each_rejected_answer_is_named_by_its_question_with_the_chats_reason()
    {
        var values = Valid();
        values.Remove(IntakeQuestions.Name);
        values[IntakeQuestions.Users] = "lots";
        values[IntakeQuestions.DataSources] = "sharepoint,dropbox";

        var result = _dialog.SubmitForm(values);

        Assert.Null(result.Summary);
        Assert.Equal([IntakeQuestions.Name, IntakeQuestions.Users, IntakeQuestions.DataSources], result.Problems.Keys);
        Assert.Equal(AnswerReader.Read(_questions.Get(IntakeQuestions.Users), "lots").Error, result.Problems[IntakeQuestions.Users]);
        Assert.Contains("Dropbox", result.Problems[IntakeQuestions.DataSources], StringComparison.Ordinal);
    }

    [Fact]
    public void The_dialog_answers_have_the_shapes_teams_reads()
    {
        var card = _form.Card();

        var shown = IntakeForm.Continue(card)["task"]!;
        Assert.Equal("continue", (string)shown["type"]!);
        Assert.Equal(IntakeForm.Title, (string)shown["value"]!["title"]!);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string)shown["value"]!["card"]!["contentType"]!);
        Assert.Same(card, shown["value"]!["card"]!["content"]);
        var closed = IntakeForm.Message("Done")["task"]!;
        Assert.Equal("message", (string)closed["type"]!);
        Assert.Equal("Done", (string)closed["value"]!);
        Assert.Equal("task/fetch", (string)IntakeForm.OpenButton()["data"]!["msteams"]!["type"]!);
    }
}
