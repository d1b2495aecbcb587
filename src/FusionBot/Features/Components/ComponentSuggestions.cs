using System.Text.RegularExpressions;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Components;

/// <summary>
/// Up to three catalogue components for a request: words of its name, purpose and data sources matched against each
/// component's tags (weighted most), name and description, among components suited to the request's tier.
/// Ties go to the name in ordinal order, so the same request always gets the same suggestions. With a model configured,
/// it orders the tier's components instead (among the catalogue's entries only); when it cannot, the keywords decide.
/// Suggestions are a nicety on cards that carry a request forward, so they never fail a turn: a storage blip means none.
/// </summary>
public sealed partial class ComponentSuggestions(IComponentCatalogueStore catalogue, ILogger<ComponentSuggestions> logger, IComponentRanker? ranker = null)
{
    public const int Max = 3;

    private const int TagWeight = 3;
    private const int NameWeight = 2;
    private const int DescriptionWeight = 1;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "our", "your", "from", "that", "this", "are", "app", "apps", "who", "will", "into", "use", "uses", "using", "none",
    };

    /// <summary>How many of the tier's components the model may choose among (the keyword ranking's best first).</summary>
    private const int MaxCandidates = 30;

    /// <summary>Never throws, except <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task<IReadOnlyList<CatalogueComponent>> SuggestAsync(string tenantId, IntakeAnswers answers, int tier, CancellationToken cancellationToken)
    {
        IReadOnlyList<CatalogueComponent> components;
        try
        {
            components = await catalogue.ListAsync(tenantId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCatalogueFailed(logger, exception.GetType().Name);
            return [];
        }

        if (ranker is null)
        {
            return Rank(components, answers, tier);
        }

        var candidates = Suitable(components, tier)
            .OrderByDescending(c => Score(c, Words(string.Join(' ', [answers.SolutionName, answers.Purpose, .. answers.DataSources ?? []]))))
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(MaxCandidates)
            .ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        IReadOnlyList<string>? ranked;
        try
        {
            ranked = await ranker.RankAsync(answers, candidates, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The ranker handles the failures it expects; anything else it throws must not cost the maker the keyword suggestions.
            LogRankerFailed(logger, exception.GetType().Name);
            ranked = null;
        }

        return ranked is null
            ? Rank(components, answers, tier)
            : [.. ranked.Take(Max).Select(id => candidates.First(c => c.Id == id))];
    }

    private static IEnumerable<CatalogueComponent> Suitable(IEnumerable<CatalogueComponent> components, int tier) =>
        components.Where(c => c.RetiredAt is null && c.Tiers.Contains(tier));

    public static IReadOnlyList<CatalogueComponent> Rank(IEnumerable<CatalogueComponent> components, IntakeAnswers answers, int tier)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var wanted = Words(string.Join(' ', [answers.SolutionName, answers.Purpose, .. answers.DataSources ?? []]));
        if (wanted.Count == 0)
        {
            return [];
        }

        return
        [
            .. Suitable(components, tier)
                .Select(c => (Component: c, Score: Score(c, wanted)))
                .Where(scored => scored.Score > 0)
                .OrderByDescending(scored => scored.Score)
                .ThenBy(scored => scored.Component.Name, StringComparer.Ordinal)
                .Take(Max)
                .Select(scored => scored.Component),
        ];
    }

    private static int Score(CatalogueComponent component, HashSet<string> wanted) =>
        (TagWeight * component.Tags.Count(tag => Words(tag).Overlaps(wanted)))
        + (NameWeight * Words(component.Name).Count(wanted.Contains))
        + (DescriptionWeight * Words(component.Description).Count(wanted.Contains));

    /// <summary>Lower-cased words of three letters or more, a plural "s" dropped, stop words left out.</summary>
    public static HashSet<string> Words(string? text) =>
    [
        .. WordPattern().Matches((text ?? "").ToLowerInvariant())
            .Select(m => m.Value.Length > 3 && m.Value.EndsWith('s') && !m.Value.EndsWith("ss", StringComparison.Ordinal) ? m.Value[..^1] : m.Value)
            .Where(w => w.Length >= 3 && !StopWords.Contains(w)),
    ];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the component catalogue ({ErrorType}); no suggestions this time")]
    private static partial void LogCatalogueFailed(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Component ranker failed ({ErrorType}); using the keyword ranking")]
    private static partial void LogRankerFailed(ILogger logger, string errorType);

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
