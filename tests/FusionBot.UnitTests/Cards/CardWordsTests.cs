using FusionBot.Cards;

namespace FusionBot.UnitTests.Cards;

public sealed class CardWordsTests
{
    [Theory]
    [InlineData(0, "0 solutions")]
    [InlineData(1, "1 solution")]
    [InlineData(2, "2 solutions")]
    [InlineData(1200, "1,200 solutions")]
    public void Counts_agree_with_their_noun(int count, string expected) =>
        Assert.Equal(expected, CardWords.Count(count, "solution"));

    [Fact]
    public void Irregular_plurals_are_given() =>
        Assert.Equal("2 replies", CardWords.Count(2, "reply", "replies"));

    [Theory]
    [InlineData(0, "less than a minute")]
    [InlineData(20, "less than a minute")]
    [InlineData(60, "1 min")]
    [InlineData(45 * 60, "45 min")]
    [InlineData(59 * 60 + 20, "59 min")]
    [InlineData(60 * 60, "1 hour")]
    [InlineData(3.5 * 3600, "3.5 hours")]
    [InlineData(23.94 * 3600, "23.9 hours")]
    [InlineData(24 * 3600, "1 day")]
    [InlineData(48 * 3600, "2 days")]
    [InlineData(60 * 3600, "2.5 days")]
    public void Durations_read_in_the_largest_sensible_unit(double seconds, string expected) =>
        Assert.Equal(expected, CardWords.Duration(TimeSpan.FromSeconds(seconds)));
}
