using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Components;

/// <summary>Orders catalogue components by how well they fit a request. Only ever picks among the candidates given.</summary>
public interface IComponentRanker
{
    /// <returns>
    /// Candidate ids, best first; empty when none fits (no suggestions); null when it could not help (the keyword
    /// ranking is used instead).
    /// </returns>
    Task<IReadOnlyList<string>?> RankAsync(IntakeAnswers answers, IReadOnlyList<CatalogueComponent> candidates, CancellationToken cancellationToken);
}
