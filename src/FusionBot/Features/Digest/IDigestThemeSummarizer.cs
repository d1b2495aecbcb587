namespace FusionBot.Features.Digest;

/// <summary>Summarises the recurring themes of a week's request descriptions.</summary>
public interface IDigestThemeSummarizer
{
    /// <returns>A short summary, or null when it could not help (failure, timeout): the digest then shows keyword counts.</returns>
    Task<string?> SummarizeAsync(IReadOnlyList<string> descriptions, CancellationToken cancellationToken);
}
