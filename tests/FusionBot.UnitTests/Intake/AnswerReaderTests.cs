using FusionBot.Requests;

namespace FusionBot.UnitTests.Intake;

public sealed class AnswerReaderTests
{
    private readonly IntakeQuestions _questions = new(TestCatalogue.Create());

    [Theory]
    [InlineData("Power Apps", "PowerApps")]
    [InlineData("power apps", "PowerApps")]
    [InlineData("  POWER-APPS ", "PowerApps")]
    [InlineData("2", "PowerAutomate")]
    [InlineData("flow", "PowerAutomate")]
    [InlineData("Copilot Studio", "CopilotStudio")]
    [InlineData("4", "Other")]
    public void Single_choice_accepts_the_option_text_a_word_of_it_or_its_number(string typed, string expected)
    {
        var read = AnswerReader.Read(_questions.Get(IntakeQuestions.PlatformKey), typed);

        Assert.Null(read.Error);
        Assert.Equal(expected, read.Value);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("0")]
    [InlineData("excel macro")]
    public void Single_choice_refuses_what_is_not_an_option_and_says_how_to_answer(string typed)
    {
        var read = AnswerReader.Read(_questions.Get(IntakeQuestions.PlatformKey), typed);

        Assert.Null(read.Value);
        Assert.Contains("not one of the options", read.Error);
        Assert.Contains("1–4", read.Error);
    }

    [Theory]
    [InlineData("120", "120")]
    [InlineData("1,200", "1200")]
    [InlineData(" 35 ", "35")]
    [InlineData("1", "1")]
    [InlineData("1000000", "1000000")]
    public void Number_accepts_whole_counts(string typed, string expected)
    {
        var read = AnswerReader.Read(_questions.Get(IntakeQuestions.Users), typed);

        Assert.Equal(expected, read.Value);
    }

    [Theory]
    [InlineData("about fifty", "not a number")]
    [InlineData("-3", "not a number")]
    [InlineData("0", "between 1 and")]
    [InlineData("2000000", "between 1 and")]
    [InlineData("12.5x", "not a number")]
    public void Number_refuses_bad_counts_with_the_reason(string typed, string reason)
    {
        var read = AnswerReader.Read(_questions.Get(IntakeQuestions.Users), typed);

        Assert.Null(read.Value);
        Assert.Contains(reason, read.Error);
    }

    [Fact]
    public void Multi_choice_reads_numbers_and_names_mixed_without_duplicates()
    {
        var question = _questions.Get(IntakeQuestions.DataSources);
        var sharePoint = question.Choices.Single(c => c.Title == "SharePoint");

        var read = AnswerReader.Read(question, $"SharePoint, an external API; {question.Choices.ToList().IndexOf(sharePoint) + 1}, sap");

        Assert.Equal($"{sharePoint.Value},external-api,enterprise-system", read.Value);
    }

    [Fact]
    public void Multi_choice_names_the_part_it_did_not_understand()
    {
        var read = AnswerReader.Read(_questions.Get(IntakeQuestions.DataSources), "SharePoint, carrier pigeon");

        Assert.Null(read.Value);
        Assert.Contains("\"carrier pigeon\"", read.Error);
    }

    [Fact]
    public void Text_longer_than_allowed_is_refused_with_the_limit()
    {
        var read = AnswerReader.Read(_questions.Get(IntakeQuestions.Name), new string('x', 81));

        Assert.Null(read.Value);
        Assert.Contains("80", read.Error);
    }

    [Fact]
    public void An_empty_answer_is_asked_again()
    {
        var read = AnswerReader.Read(_questions.Get(IntakeQuestions.Purpose), "   ");

        Assert.Equal("I need an answer to continue.", read.Error);
    }

    [Theory]
    [InlineData("3", "3")]
    [InlineData("2.5", "2.5")]
    [InlineData("4 hours", "4")]
    [InlineData("0", "0")]
    [InlineData("skip", AnswerReader.Skipped)]
    [InlineData("Not sure", AnswerReader.Skipped)]
    [InlineData("", AnswerReader.Skipped)]
    public void Hours_saved_takes_a_number_of_hours_or_a_skip(string typed, string expected)
    {
        var read = AnswerReader.Read(_questions.Get(IntakeQuestions.HoursSaved), typed);

        Assert.Null(read.Error);
        Assert.Equal(expected, read.Value);
    }

    [Theory]
    [InlineData("lots", "not a number of hours")]
    [InlineData("-2", "not a number of hours")]
    [InlineData("200", "A week has 168 hours")]
    public void Hours_saved_refuses_what_is_not_a_week_of_hours(string typed, string reason) =>
        Assert.Contains(reason, AnswerReader.Read(_questions.Get(IntakeQuestions.HoursSaved), typed).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData("about 40", "40")]
    [InlineData("~40", "40")]
    [InlineData("≈ 40", "40")]
    [InlineData("around 40 people", "40")]
    [InlineData("roughly 40 users", "40")]
    [InlineData("40+", "40")]
    [InlineData("at least 40 employees", "40")]
    [InlineData("40-50", "50")]
    [InlineData("40 – 50", "50")]
    [InlineData("40 to 50", "50")]
    [InlineData("between 40 and 50", "50")]
    [InlineData("50-40", "50")]
    [InlineData("1,200", "1200")]
    [InlineData("1 200", "1200")]
    [InlineData("1'200", "1200")]
    [InlineData("about 1,200-1,500 people", "1500")]
    [InlineData("2k", "2000")]
    [InlineData("1.5k", "1500")]
    [InlineData("40.0", "40")]
    public void Number_reads_counts_the_way_people_type_them(string typed, string expected)
    {
        var read = AnswerReader.Read(_questions.Get(IntakeQuestions.Users), typed);

        Assert.Null(read.Error);
        Assert.Equal(expected, read.Value);
    }

    [Theory]
    [InlineData("49.5", "\"49.5\" is not a whole number of people. Please answer 49 or 50.")]
    [InlineData("about 12.25", "\"about 12.25\" is not a whole number of people. Please answer 12 or 13.")]
    [InlineData("1.200", "\"1.200\" could mean 1200 or 1.2 people; please type it without the dot, for example 1200.")]
    [InlineData("1.000", "\"1.000\" could mean 1000 or 1 people; please type it without the dot, for example 1000.")]
    [InlineData("1,2", "\"1,2\" is not a number. Please answer with a whole number of people, for example 25.")]
    [InlineData("40 50", "\"40 50\" is not a number. Please answer with a whole number of people, for example 25.")]
    [InlineData("1.2345k", "\"1.2345k\" is not a whole number of people. Please answer 1234 or 1235.")]
    public void Number_never_reads_a_decimal_or_an_ambiguous_dot_as_a_bigger_count(string typed, string error)
    {
        var read = AnswerReader.Read(_questions.Get(IntakeQuestions.Users), typed);

        Assert.Null(read.Value);
        Assert.Equal(error, read.Error);
    }

    [Fact]
    public void An_option_whose_text_has_commas_can_be_typed_alone_or_among_others()
    {
        var question = _questions.Get(IntakeQuestions.DataSources);

        Assert.Equal("enterprise-system", AnswerReader.Read(question, "An enterprise system (SAP, Dynamics 365, ServiceNow…)").Value);
        Assert.Equal("sharepoint,enterprise-system,external-api",
            AnswerReader.Read(question, "SharePoint, an enterprise system (SAP, Dynamics 365, ServiceNow…), an external API").Value);
    }

    [Fact]
    public void Numbers_separated_by_commas_stay_separate_choices()
    {
        var question = _questions.Get(IntakeQuestions.DataSources);

        Assert.Equal($"{question.Choices[0].Value},{question.Choices[2].Value}", AnswerReader.Read(question, "1, 3").Value);
        Assert.Equal($"{question.Choices[0].Value},{question.Choices[2].Value}", AnswerReader.Read(question, "1,3").Value);
    }

    [Theory]
    [InlineData("none, SharePoint")]
    [InlineData("SharePoint; none")]
    [InlineData("external api, own lists")]
    public void None_with_a_data_source_is_refused_with_the_reason(string typed)
    {
        var read = AnswerReader.Read(_questions.Get(IntakeQuestions.DataSources), typed);

        Assert.Null(read.Value);
        Assert.Equal("\"None, or only my own lists\" cannot go with other answers: pick it alone, or only the others.", read.Error);
    }

    [Fact]
    public void None_alone_or_twice_is_accepted()
    {
        Assert.Equal("none", AnswerReader.Read(_questions.Get(IntakeQuestions.DataSources), "none, own lists").Value);
    }
}
