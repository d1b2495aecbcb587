using System.Globalization;
using FusionBot.Requests;

namespace FusionBot.Features.Portfolio;

/// <summary>
/// The portfolio as CSV (RFC 4180): one row per request. Cells a spreadsheet would run as a formula (starting with
/// = + - @, or a tab or carriage return) get a leading apostrophe, since makers choose titles and names.
/// </summary>
public static class PortfolioCsv
{
    public static readonly IReadOnlyList<string> Header =
        ["id", "title", "tier", "status", "maker", "created", "decided", "hours_saved_per_week"];

    /// <summary>The header line.</summary>
    public static string HeaderLine() => Line(Header);

    /// <summary>One request's line; "decided" is its first decision or self-certification.</summary>
    public static string Line(GovernanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Line(
        [
            request.Id,
            request.Title,
            request.Tier.ToString(CultureInfo.InvariantCulture),
            request.Status.ToString(),
            request.Maker.Name ?? request.Maker.Id,
            Timestamp(request.CreatedAt),
            request.Milestones?.FirstDecidedAt is { } decided ? Timestamp(decided) : "",
            request.Answers.HoursSavedPerWeek?.ToString(CultureInfo.InvariantCulture) ?? "",
        ]);
    }

    /// <summary>One cell, made inert for spreadsheets and quoted when it holds a separator, a quote or a line break.</summary>
    public static string Cell(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 || text != text.Trim()
            ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : text;
    }

    private static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
