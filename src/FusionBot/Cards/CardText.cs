using System.Globalization;
using System.Text;

namespace FusionBot.Cards;

/// <summary>
/// Makes maker-typed text inert inside markdown fields (TextBlock text, Fact title/value): what the maker typed
/// is shown, not interpreted. Markdown specials are backslash-escaped (Teams renders the escapes away, so the text
/// stays readable), "&lt;" and "&amp;" are escaped so no HTML tag or entity forms, and braces are escaped so neither
/// Teams' <c>{{DATE(…)}}</c> functions nor <c>${…}</c> template bindings can fire.
/// </summary>
public static class CardText
{
    public const int DefaultMaxLength = 2000;
    public const int DefaultMaxLineLength = 200;
    public const string TruncationMarker = "… (truncated)";

    // Special anywhere in a line: emphasis, code, links/images, HTML, entities, strikethrough, template braces.
    private const string AlwaysEscaped = "\\*_`[]<>&~{}";

    // Special only as a line's first non-blank character: headings, lists, setext underlines.
    private const string LineStartEscaped = "#-+=";

    /// <summary>Escapes multi-line text; blank-line runs collapse to one paragraph break.</summary>
    public static string Escape(string? text, int maxLength = DefaultMaxLength)
    {
        var normalised = CollapseBlankLines(RemoveControlCharacters(NormaliseNewlines(text ?? ""))).Trim();
        return EscapeMarkdown(Truncate(normalised, maxLength, out var truncated)) + (truncated ? " " + TruncationMarker : "");
    }

    /// <summary>Escapes text for a one-line place (a fact, a heading): every whitespace run becomes one space.</summary>
    public static string EscapeLine(string? text, int maxLength = DefaultMaxLineLength)
    {
        var singleLine = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return Escape(singleLine, maxLength);
    }

    /// <summary>Shortens plain text (button titles, choice titles, input values: places markdown does not reach).</summary>
    public static string Truncate(string? text, int maxLength)
    {
        var shortened = Truncate(text ?? "", maxLength, out var truncated);
        return truncated ? shortened + " " + TruncationMarker : shortened;
    }

    private static string Truncate(string text, int maxLength, out bool truncated)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        truncated = text.Length > maxLength;
        if (!truncated)
        {
            return text;
        }
        var cut = maxLength;
        if (char.IsLowSurrogate(text[cut]) && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--; // never split an emoji or other surrogate pair
        }
        return text[..cut].TrimEnd();
    }

    private static string NormaliseNewlines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace('\t', ' ');

    private static string RemoveControlCharacters(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (c == '\n' || (category != UnicodeCategory.Control && category != UnicodeCategory.Format))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static string CollapseBlankLines(string text)
    {
        var lines = text.Split('\n').Select(line => line.TrimEnd()).ToList();
        var builder = new StringBuilder(text.Length);
        var blankRun = 0;
        foreach (var line in lines)
        {
            blankRun = line.Length == 0 ? blankRun + 1 : 0;
            if (blankRun <= 1)
            {
                builder.Append(line).Append('\n');
            }
        }
        return builder.ToString();
    }

    private static string EscapeMarkdown(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        var atLineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                builder.Append(c);
                atLineStart = true;
                continue;
            }
            if (atLineStart && c == ' ')
            {
                builder.Append(c);
                continue;
            }
            if (AlwaysEscaped.Contains(c, StringComparison.Ordinal) || (atLineStart && LineStartEscaped.Contains(c, StringComparison.Ordinal)))
            {
                builder.Append('\\');
            }
            builder.Append(c);
            if (atLineStart && char.IsAsciiDigit(c))
            {
                EscapeOrderedListMarker(text, ref i, builder);
            }
            atLineStart = false;
        }
        return builder.ToString();
    }

    // "1. item" and "1) item" start an ordered list: escape the delimiter after the leading digits.
    private static void EscapeOrderedListMarker(string text, ref int i, StringBuilder builder)
    {
        while (i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
        {
            builder.Append(text[++i]);
        }
        if (i + 1 < text.Length && text[i + 1] is '.' or ')')
        {
            builder.Append('\\').Append(text[++i]);
        }
    }
}
