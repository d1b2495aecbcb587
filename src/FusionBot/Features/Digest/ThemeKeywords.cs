using System.Text.RegularExpressions;

namespace FusionBot.Features.Digest;

/// <summary>
/// Recurring themes without a model: words that appear in the purposes of two or more requests, each request
/// counted once per word, common English and governance filler words left out.
/// </summary>
public static partial class ThemeKeywords
{
    private const int MaxKeywords = 8;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "all", "also", "an", "and", "any", "app", "apps", "are", "as", "at", "be", "been", "but", "by", "can",
        "could", "do", "does", "each", "every", "for", "from", "get", "gets", "has", "have", "help", "helps", "how", "i", "in",
        "into", "is", "it", "its", "just", "let", "lets", "like", "make", "makes", "many", "me", "more", "most", "my", "need",
        "needs", "new", "no", "not", "of", "on", "one", "or", "other", "our", "out", "over", "per", "so", "some", "than",
        "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "up", "us", "use",
        "used", "using", "very", "want", "was", "way", "we", "were", "what", "when", "where", "which", "who", "will", "with",
        "would", "you", "your", "flow", "flows", "solution", "tool", "team", "teams",
    };

    public static IReadOnlyList<NamedCount> Count(IEnumerable<string?> purposes) =>
    [
        .. purposes
            .SelectMany(purpose => Words(purpose ?? "").Distinct())
            .GroupBy(word => word, StringComparer.Ordinal)
            .Where(g => g.Count() >= 2)
            .Select(g => new NamedCount(g.Key, g.Count()))
            .OrderByDescending(k => k.Count).ThenBy(k => k.Name, StringComparer.Ordinal)
            .Take(MaxKeywords),
    ];

    private static IEnumerable<string> Words(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length >= 3 && !StopWords.Contains(w));

    [GeneratedRegex(@"\p{L}[\p{L}\-']*")]
    private static partial Regex Word();
}
