using FusionBot.Storage;

namespace FusionBot.Features.Digest;

/// <summary>The catalogue's part of the weekly digest: what was added in the window, and what makers said they reuse.</summary>
public static class ComponentDigest
{
    public const int MaxMostUsed = 5;

    /// <summary>Components added in [from, to) and still active, in name order.</summary>
    public static IReadOnlyList<string> New(IEnumerable<CatalogueComponent> components, DateTimeOffset from, DateTimeOffset to) =>
        [.. components.Where(c => c.RetiredAt is null && c.AddedAt >= from && c.AddedAt < to).Select(c => c.Name).Order(StringComparer.Ordinal)];

    /// <summary>Uses recorded in [from, to) per component, most used first, ties in name order.</summary>
    public static IReadOnlyList<NamedCount> MostUsed(IEnumerable<CatalogueComponent> components, IEnumerable<ComponentUse> uses, DateTimeOffset from, DateTimeOffset to)
    {
        var names = components.ToDictionary(c => c.Id, c => c.Name, StringComparer.Ordinal);
        return
        [
            .. uses.Where(u => u.At >= from && u.At < to && names.ContainsKey(u.ComponentId))
                .GroupBy(u => names[u.ComponentId], StringComparer.Ordinal)
                .Select(g => new NamedCount(g.Key, g.Count()))
                .OrderByDescending(c => c.Count)
                .ThenBy(c => c.Name, StringComparer.Ordinal)
                .Take(MaxMostUsed),
        ];
    }
}
