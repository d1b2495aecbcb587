using System.Text.Json.Nodes;

namespace FusionBot.TestKit.Cards;

/// <summary>
/// Checks that maker-typed text reached a card only in inert form: shown (after the renderer removes backslash
/// escapes) but with none of its characters able to start markdown, HTML, an entity or a template function.
/// Written independently of the app's escaper, from the CommonMark and Adaptive Cards rules.
/// </summary>
internal static class UserTextInertness
{
    // Truncated text is recognised by this much of its beginning.
    private const int RecognisedPrefixLength = 100;

    private const string ActiveAnywhere = "*_`[]<>&~{}";

    // CommonMark: a backslash escapes exactly these; before anything else it is a literal backslash.
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private const string ActiveAtLineStart = "#-+=";

    public static IEnumerable<string> Check(JsonObject card, string userText)
    {
        var wanted = string.Join(' ', userText.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var shownIn = 0;
        foreach (var (path, markdown) in MarkdownFields(card, "card"))
        {
            var rendered = Unescape(markdown);
            var region = FindWanted(rendered, wanted);
            if (region is null)
            {
                continue;
            }
            shownIn++;
            foreach (var i in region)
            {
                var (c, escaped, lineStart) = rendered[i];
                if (!escaped && (ActiveAnywhere.Contains(c, StringComparison.Ordinal)
                    || (lineStart && (ActiveAtLineStart.Contains(c, StringComparison.Ordinal) || IsOrderedListMarker(rendered, i)))))
                {
                    yield return $"{path}: maker text is live markdown at '{c}' in \"{Shorten(markdown)}\"";
                }
            }
        }
        if (shownIn == 0)
        {
            yield return $"maker text \"{Shorten(userText)}\" is not shown in any TextBlock or Fact";
        }
    }

    /// <summary>
    /// The rendered positions showing <paramref name="wanted"/>, comparing whitespace runs as one space
    /// (the escaper folds newlines and blank lines); a long text may be truncated, so its start is enough.
    /// </summary>
    private static List<int>? FindWanted(List<(char Char, bool Escaped, bool LineStart)> rendered, string wanted)
    {
        var folded = new System.Text.StringBuilder(rendered.Count);
        var positions = new List<int>(rendered.Count);
        for (var i = 0; i < rendered.Count; i++)
        {
            var isSpace = char.IsWhiteSpace(rendered[i].Char);
            if (isSpace && folded.Length > 0 && folded[^1] == ' ')
            {
                continue;
            }
            folded.Append(isSpace ? ' ' : rendered[i].Char);
            positions.Add(i);
        }
        var text = folded.ToString();
        var target = wanted.Length > RecognisedPrefixLength && !text.Contains(wanted, StringComparison.Ordinal)
            ? wanted[..RecognisedPrefixLength]
            : wanted;
        var start = text.IndexOf(target, StringComparison.Ordinal);
        return start < 0 ? null : positions.GetRange(start, target.Length);
    }

    // A line starting with digits followed by "." or ")" is an ordered-list item.
    private static bool IsOrderedListMarker(List<(char Char, bool Escaped, bool LineStart)> rendered, int i)
    {
        if (!char.IsAsciiDigit(rendered[i].Char))
        {
            return false;
        }
        var j = i;
        while (j < rendered.Count && char.IsAsciiDigit(rendered[j].Char))
        {
            j++;
        }
        return j < rendered.Count && rendered[j].Char is '.' or ')' && !rendered[j].Escaped;
    }

    /// <summary>The characters a markdown renderer shows, each marked if it was backslash-escaped or starts a line.</summary>
    private static List<(char Char, bool Escaped, bool LineStart)> Unescape(string markdown)
    {
        var result = new List<(char, bool, bool)>(markdown.Length);
        var lineStart = true;
        for (var i = 0; i < markdown.Length; i++)
        {
            var c = markdown[i];
            var escaped = c == '\\' && i + 1 < markdown.Length && AsciiPunctuation.Contains(markdown[i + 1], StringComparison.Ordinal);
            if (escaped)
            {
                c = markdown[++i];
            }
            result.Add((c, escaped, lineStart));
            lineStart = c == '\n' || (lineStart && c == ' ' && !escaped);
        }
        return result;
    }

    private static IEnumerable<(string Path, string Markdown)> MarkdownFields(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                if ((string?)obj["type"] == "TextBlock" && obj["text"] is JsonValue text)
                {
                    yield return ($"{path}.text", (string?)text ?? "");
                }
                if (obj["facts"] is JsonArray facts)
                {
                    for (var i = 0; i < facts.Count; i++)
                    {
                        yield return ($"{path}.facts[{i}].title", (string?)facts[i]?["title"] ?? "");
                        yield return ($"{path}.facts[{i}].value", (string?)facts[i]?["value"] ?? "");
                    }
                }
                foreach (var (name, child) in obj)
                {
                    foreach (var field in MarkdownFields(child, $"{path}.{name}"))
                    {
                        yield return field;
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var field in MarkdownFields(array[i], $"{path}[{i}]"))
                    {
                        yield return field;
                    }
                }
                break;
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
