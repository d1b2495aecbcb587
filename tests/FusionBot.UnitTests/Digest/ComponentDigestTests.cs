using FusionBot.Features.Digest;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.UnitTests.Components;

namespace FusionBot.UnitTests.Digest;

public sealed class ComponentDigestTests
{
    private static readonly DateTimeOffset From = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(7);
    private static readonly Person Maker = new("29:maker", "aad-maker", "Mia Maker");

    private static CatalogueComponent At(string name, DateTimeOffset addedAt, DateTimeOffset? retiredAt = null) =>
        ComponentSuggestionsTests.Component(name, "x", [], [2]) with { AddedAt = addedAt, RetiredAt = retiredAt };

    [Fact]
    public void New_components_are_those_added_in_the_window_and_still_active()
    {
        var components = new[]
        {
            At("Zeta", From.AddDays(1)),
            At("Alpha", From),
            At("Before", From.AddTicks(-1)),
            At("At the end", To),
            At("Retired", From.AddDays(2), retiredAt: From.AddDays(3)),
        };

        Assert.Equal(["Alpha", "Zeta"], ComponentDigest.New(components, From, To));
    }

    [Fact]
    public void Most_used_counts_uses_in_the_window_most_first_ties_by_name_at_most_five()
    {
        var names = new[] { "A", "B", "C", "D", "E", "F" };
        var components = names.Select(n => At(n, From.AddDays(-30))).ToList();
        var uses = new List<ComponentUse>
        {
            new("c", "FR-1", Maker, From), new("c", "FR-2", Maker, From.AddDays(1)), new("c", "FR-3", Maker, To),
            new("b", "FR-1", Maker, From), new("a", "FR-2", Maker, From),
            new("d", "FR-1", Maker, From), new("e", "FR-1", Maker, From), new("f", "FR-1", Maker, From),
            new("unknown", "FR-1", Maker, From), new("a", "FR-0", Maker, From.AddDays(-1)),
        };

        Assert.Equal(
            [new NamedCount("C", 2), new NamedCount("A", 1), new NamedCount("B", 1), new NamedCount("D", 1), new NamedCount("E", 1)],
            ComponentDigest.MostUsed(components, uses, From, To));
    }
}
