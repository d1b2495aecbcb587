namespace FusionBot.Features.Inventory;

/// <summary>
/// Whether a request's title and a found solution's name are probably the same thing: the same words once case,
/// punctuation and a plural "s" are set aside, or at least half of all their words shared ("Expense tracker" and
/// "Expenses"). Only ever a proposal: the owner confirms it with a button.
/// </summary>
public static class NameResemblance
{
    public static double Score(string? a, string? b)
    {
        var left = Words(a);
        var right = Words(b);
        if (left.Count == 0 || right.Count == 0)
        {
            return 0;
        }

        return (double)left.Intersect(right).Count() / left.Union(right).Count();
    }

    public static bool Resembles(string? a, string? b) => Score(a, b) >= 0.5;

    private static HashSet<string> Words(string? text) =>
    [
        .. (text ?? "").ToLowerInvariant()
            .Split([.. (text ?? "").Where(c => !char.IsLetterOrDigit(c)).Distinct()], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Length > 3 && w.EndsWith('s') ? w[..^1] : w),
    ];
}
