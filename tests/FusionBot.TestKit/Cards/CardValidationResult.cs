namespace FusionBot.TestKit.Cards;

/// <summary>What the validators found in one card; <see cref="Index"/> is its position in the batch.</summary>
public sealed record CardValidationResult(int Index, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public bool IsValid => Errors.Count == 0;
}
