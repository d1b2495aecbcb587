using FusionBot.Cards;
using FusionBot.TestKit.Cards;

namespace FusionBot.UnitTests.Cards;

public sealed class CardTextTests
{
    public static TheoryData<string> NastyInputs => new()
    {
        "[click](https://evil)",
        "![pixel](https://evil/track.png)",
        "**bold** and __bold__ and *it* and _it_",
        "<script>alert(1)</script>",
        "<b>not bold</b> &amp; &lt;tag&gt; &#60;",
        "# Heading",
        "## Sub heading",
        "- list item",
        "+ plus item",
        "* star item",
        "1. first\n2) second",
        "> quoted",
        "Title\n===",
        "---",
        "{{DATE(2017-02-14T06:08:39Z, SHORT)}}",
        "{{TIME(2017-02-14T06:08:39Z)}}",
        "${secret.value}",
        "~~struck~~ and `code`",
        @"already \*escaped\* and a lone \ backslash",
        "snake_case_name for the HR_Onboarding app",
        "line one\r\nline two\r\n\r\n\r\n\r\n- line three",
    };

    [Theory]
    [MemberData(nameof(NastyInputs))]
    public async Task MakerTextIsShownButInertAndTheCardPassesTheOfficialParser(string makerText)
    {
        var escaped = CardText.Escape(makerText);
        var card = AdaptiveCardJson.Create(
        [
            CardElements.TextBlock($"**Problem:** {escaped}"),
            CardElements.FactSet(("Solution", CardText.EscapeLine(makerText))),
        ]);

        AdaptiveCardValidator.AssertUserTextInert(card, makerText);
        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    [Theory]
    [InlineData("[click](https://evil)", @"\[click\](https://evil)")]
    [InlineData("**bold**", @"\*\*bold\*\*")]
    [InlineData("<script>", @"\<script\>")]
    [InlineData("# Heading", @"\# Heading")]
    [InlineData("- list", @"\- list")]
    [InlineData("12. twelfth", @"12\. twelfth")]
    [InlineData("{{DATE(2017-02-14T06:08:39Z, SHORT)}}", @"\{\{DATE(2017-02-14T06:08:39Z, SHORT)\}\}")]
    [InlineData("${x}", @"$\{x\}")]
    [InlineData("AT&T", @"AT\&T")]
    [InlineData("costs 5 - 10 # units", "costs 5 - 10 # units")]
    [InlineData("Plain words stay as they are.", "Plain words stay as they are.")]
    public void EscapesWithBackslashesOnlyWhereMarkdownWouldAct(string makerText, string expected)
    {
        Assert.Equal(expected, CardText.Escape(makerText));
    }

    [Fact]
    public void NewlinesAreNormalisedAndBlankLineRunsCollapseToOneParagraphBreak()
    {
        Assert.Equal("one\ntwo\n\n\\- three", CardText.Escape("  one\r\ntwo  \r\n\r\n\r\n\n- three \n\n"));
    }

    [Fact]
    public void EscapeLineFoldsAllWhitespaceToSingleSpaces()
    {
        Assert.Equal(@"\# a b # c", CardText.EscapeLine("# a\n\n b\t# c"));
    }

    [Fact]
    public void ControlAndInvisibleFormatCharactersAreRemoved()
    {
        Assert.Equal("ab c", CardText.Escape("a\u0000b\u200B c\u0007"));
    }

    [Fact]
    public async Task VeryLongTextIsTruncatedWithAClearMarkerAndStillValid()
    {
        var makerText = string.Concat(Enumerable.Repeat("[x](y) ", 1430)); // 10,010 characters

        var escaped = CardText.Escape(makerText);
        var card = AdaptiveCardJson.Create([CardElements.TextBlock(escaped)]);

        Assert.EndsWith(" " + CardText.TruncationMarker, escaped, StringComparison.Ordinal);
        Assert.True(escaped.Length < makerText.Length / 2);
        AdaptiveCardValidator.AssertUserTextInert(card, makerText);
        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    [Fact]
    public void TruncationNeverSplitsASurrogatePair()
    {
        var text = new string('a', 9) + "😀😀";

        var shortened = CardText.Truncate(text, 10);

        Assert.Equal(new string('a', 9) + " " + CardText.TruncationMarker, shortened);
    }

    [Fact]
    public void ShortPlainTextIsNotTruncated()
    {
        Assert.Equal("Approve", CardText.Truncate("Approve", 20));
        Assert.Equal("", CardText.Escape(null));
    }
}
