using FusionBot.Features.Portfolio;
using FusionBot.Requests;

namespace FusionBot.UnitTests.Portfolio;

public sealed class PortfolioCsvTests
{
    [Theory]
    [InlineData("Expense tracker", "Expense tracker")]
    [InlineData("Leave, holidays", "\"Leave, holidays\"")]
    [InlineData("The \"best\" app", "\"The \"\"best\"\" app\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData(" padded ", "\" padded \"")]
    [InlineData("", "")]
    public void Cells_are_quoted_when_needed_and_formulas_made_inert(string value, string expected) =>
        Assert.Equal(expected, PortfolioCsv.Cell(value));

    [Fact]
    public void One_row_per_request_with_the_header_first()
    {
        var created = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
        var request = new GovernanceRequest
        {
            Id = "FR-000007",
            TenantId = "tenant",
            Title = "=cmd|' /C calc'!A0, the sequel",
            Answers = new IntakeAnswers { HoursSavedPerWeek = 2.5 },
            Tier = 2,
            Reasons = [],
            Status = RequestStatus.Approved,
            Maker = new Person("29:maker", "aad", "Mo \"Maker\""),
            CreatedAt = created,
            UpdatedAt = created,
        };

        var csv = PortfolioCsv.HeaderLine()
            + PortfolioCsv.Line(request with { Milestones = new RequestMilestones { FirstDecidedAt = created.AddDays(1) } })
            + PortfolioCsv.Line(request with { Id = "FR-000008", Answers = new IntakeAnswers() });

        Assert.Equal(
            "id,title,tier,status,maker,created,decided,hours_saved_per_week\r\n"
            + "FR-000007,\"'=cmd|' /C calc'!A0, the sequel\",2,Approved,\"Mo \"\"Maker\"\"\",2026-03-02T09:30:00Z,2026-03-03T09:30:00Z,2.5\r\n"
            + "FR-000008,\"'=cmd|' /C calc'!A0, the sequel\",2,Approved,\"Mo \"\"Maker\"\"\",2026-03-02T09:30:00Z,,\r\n",
            csv);
    }
}
