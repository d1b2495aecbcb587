namespace FusionBot.Storage.Rows;

/// <summary>A row key interval of one partition: <see cref="From"/> inclusive, <see cref="To"/> exclusive; null = open.</summary>
public readonly record struct RowKeyRange(string? From, string? To)
{
    public static RowKeyRange All => new(null, null);

    public static RowKeyRange Prefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        // The smallest string greater than every key starting with the prefix: bump its last character.
        var upper = string.Concat(prefix.AsSpan(0, prefix.Length - 1), ((char)(prefix[^1] + 1)).ToString());
        return new RowKeyRange(prefix, upper);
    }

    public static RowKeyRange Below(string to) => new(null, to);

    /// <summary>Keys strictly after <paramref name="rowKey"/>: resumes a paged read.</summary>
    public RowKeyRange After(string rowKey) => this with { From = rowKey + "\0" };
}
