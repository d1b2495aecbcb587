using FusionBot.TestKit.Cards;

namespace FusionBot.UnitTests.Cards;

/// <summary>
/// The gallery's cards are valid Teams cards; when FUSIONBOT_CARD_GALLERY_DIR names a folder (scripts/render-cards.sh
/// sets it) they are also written there as &lt;name&gt;.json for tools/cardrender to turn into PNGs.
/// </summary>
public sealed class CardGalleryTests
{
    public const string OutputVariable = "FUSIONBOT_CARD_GALLERY_DIR";

    [Fact]
    public async Task Every_gallery_card_passes_the_official_parser_and_is_written_when_asked()
    {
        var cards = CardGallery.Build();

        Assert.Equal(cards.Count, cards.Select(c => c.Name).Distinct().Count());
        await AdaptiveCardValidator.AssertValidAsync([.. cards.Select(c => c.Card)]);

        var output = Environment.GetEnvironmentVariable(OutputVariable);
        if (!string.IsNullOrEmpty(output))
        {
            Directory.CreateDirectory(output);
            foreach (var (name, card) in cards)
            {
                await File.WriteAllTextAsync(Path.Combine(output, name + ".json"), card.ToJsonString());
            }

            Assert.All(cards, c => Assert.True(File.Exists(Path.Combine(output, c.Name + ".json"))));
        }
    }
}
