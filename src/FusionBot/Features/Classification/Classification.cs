namespace FusionBot.Features.Classification;

/// <summary>The tier a request lands in and, highest tier first, every rule that put it there in plain words.</summary>
public sealed record Classification(int Tier, IReadOnlyList<string> Reasons);

/// <summary>Classification was asked for before intake collected everything it needs.</summary>
public sealed class IncompleteAnswersException(IReadOnlyList<string> missing)
    : InvalidOperationException($"Classification needs answers for: {string.Join(", ", missing)}.")
{
    /// <summary>The missing answers, in the words intake uses: "audience", "expected users", …</summary>
    public IReadOnlyList<string> Missing { get; } = missing;
}
