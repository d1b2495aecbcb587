using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FusionBot.Requests;

/// <summary>An answer read from what the maker typed or picked: the stored value, or why it was not accepted.</summary>
public sealed record ReadAnswer(string? Value, string? Error)
{
    public static ReadAnswer Ok(string value) => new(value, null);
    public static ReadAnswer Invalid(string error) => new(null, error);
}

/// <summary>
/// Reads typed answers the way people type them: an option's text or one of its words, its number,
/// several of either separated by commas, or a count with thousands separators.
/// </summary>
public static partial class AnswerReader
{
    public const int MaxUsers = 1_000_000;

    /// <summary>The stored answer of an optional question the maker skipped.</summary>
    public const string Skipped = "skip";

    /// <summary>Hours in a week: no solution saves more.</summary>
    public const double MaxHoursPerWeek = 168;

    private static readonly string[] SkipWords = [Skipped, "skip it", "unsure", "not sure", "don't know", "dont know", "no idea", "?"];

    public static ReadAnswer Read(IntakeQuestion question, string input)
    {
        var text = input.Trim();
        if (question.Kind == QuestionKind.OptionalHours)
        {
            return ReadHours(text);
        }

        if (text.Length == 0)
        {
            return ReadAnswer.Invalid("I need an answer to continue.");
        }

        return question.Kind switch
        {
            QuestionKind.Text => ReadText(question, text),
            QuestionKind.Number => ReadNumber(text),
            QuestionKind.SingleChoice => ReadChoice(question, text),
            QuestionKind.MultiChoice => ReadChoices(question, text),
            _ => throw new ArgumentOutOfRangeException(nameof(question)),
        };
    }

    private static ReadAnswer ReadText(IntakeQuestion question, string text) =>
        text.Length <= question.MaxLength
            ? ReadAnswer.Ok(text)
            : ReadAnswer.Invalid($"That is {text.Length} characters; please keep it to {question.MaxLength}.");

    /// <summary>
    /// A count of people as people type it. Hedges and the word for people are ignored ("about 40", "~40",
    /// "40 users", "40+"); commas, spaces, apostrophes or underscores between groups of three digits separate
    /// thousands ("1,200"); "k" is thousands ("1.5k"); a range counts as its upper end ("40-50", "40 to 50"), since
    /// the tier is for the most people the solution may reach. A dot is a decimal point, and a fraction of a person
    /// is refused with the whole numbers either side ("49.5" is neither 495 nor silently 50); "1.200" is refused as
    /// ambiguous (1200 in some languages, 1.2 in others).
    /// </summary>
    private static ReadAnswer ReadNumber(string text)
    {
        var count = CountWords().Replace(text.ToLowerInvariant(), " ").Trim();
        var range = CountRange().Match(count);
        if (!range.Success)
        {
            return NotACount(text);
        }

        var low = ReadCount(range.Groups["low"].Value, text);
        var high = range.Groups["high"].Success ? ReadCount(range.Groups["high"].Value, text) : low;
        if (low.Error is not null || high.Error is not null)
        {
            return low.Error is not null ? low : high;
        }

        var number = Math.Max(long.Parse(low.Value!, CultureInfo.InvariantCulture), long.Parse(high.Value!, CultureInfo.InvariantCulture));
        if (number < 1 || number > MaxUsers)
        {
            return ReadAnswer.Invalid($"Please give a number between 1 and {MaxUsers:N0}.");
        }

        return ReadAnswer.Ok(number.ToString(CultureInfo.InvariantCulture));
    }

    private static ReadAnswer NotACount(string typed) =>
        ReadAnswer.Invalid($"\"{Shorten(typed)}\" is not a number. Please answer with a whole number of people, for example 25.");

    /// <summary>One number of a count: digits with thousands separators, a decimal part, a "k".</summary>
    private static ReadAnswer ReadCount(string token, string typed)
    {
        var match = CountToken().Match(token.Trim());
        if (!match.Success)
        {
            return NotACount(typed);
        }

        var whole = match.Groups["whole"].Value;
        var grouped = whole.Any(c => !char.IsAsciiDigit(c));
        var digits = new string([.. whole.Where(char.IsAsciiDigit)]);
        var fraction = match.Groups["fraction"].Success ? match.Groups["fraction"].Value : null;
        var thousands = match.Groups["k"].Success;
        if (!thousands && !grouped && fraction is { Length: 3 })
        {
            var small = decimal.Parse($"{digits}.{fraction}", CultureInfo.InvariantCulture);
            return ReadAnswer.Invalid(
                $"\"{Shorten(typed)}\" could mean {digits}{fraction} or {small.ToString("0.###", CultureInfo.InvariantCulture)} people; please type it without the dot, for example {digits}{fraction}.");
        }

        var value = decimal.Parse(fraction is null ? digits : $"{digits}.{fraction}", CultureInfo.InvariantCulture) * (thousands ? 1000 : 1);
        if (value != decimal.Truncate(value))
        {
            return ReadAnswer.Invalid(
                $"\"{Shorten(typed)}\" is not a whole number of people. Please answer {decimal.Floor(value):0} or {decimal.Ceiling(value):0}.");
        }

        return value > MaxUsers
            ? ReadAnswer.Invalid($"Please give a number between 1 and {MaxUsers:N0}.")
            : ReadAnswer.Ok(value.ToString("0", CultureInfo.InvariantCulture));
    }

    private static ReadAnswer ReadHours(string text)
    {
        if (text.Length == 0 || SkipWords.Contains(text.ToLowerInvariant()))
        {
            return ReadAnswer.Ok(Skipped);
        }

        var number = text.ToLowerInvariant().Replace("hours", "", StringComparison.Ordinal).Replace("hour", "", StringComparison.Ordinal)
            .Replace("h", "", StringComparison.Ordinal).Trim();
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var hours))
        {
            return ReadAnswer.Invalid($"\"{Shorten(text)}\" is not a number of hours. Answer with a number, for example 2.5, or type skip.");
        }

        if (hours > MaxHoursPerWeek)
        {
            return ReadAnswer.Invalid($"A week has {MaxHoursPerWeek:0} hours; please give a number up to that, or type skip.");
        }

        return ReadAnswer.Ok(hours.ToString(CultureInfo.InvariantCulture));
    }

    private static ReadAnswer ReadChoice(IntakeQuestion question, string text)
    {
        var choice = Match(question, text);
        return choice is null
            ? ReadAnswer.Invalid($"\"{Shorten(text)}\" is not one of the options. Pick one, or type its number (1–{question.Choices.Count}).")
            : ReadAnswer.Ok(choice.Value);
    }

    /// <summary>
    /// Several options separated by commas, semicolons or lines. Parts are joined back while together they name one
    /// option, longest first, so an option whose text has a comma ("SAP, Dynamics 365, ServiceNow") can still be typed
    /// while "1, 3" stays two numbers.
    /// </summary>
    private static ReadAnswer ReadChoices(IntakeQuestion question, string text)
    {
        var parts = text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var picked = new List<AnswerOption>();
        for (var start = 0; start < parts.Length;)
        {
            var (choice, end) = LongestMatch(question, parts, start);
            if (choice is null)
            {
                return ReadAnswer.Invalid($"\"{Shorten(parts[start])}\" is not one of the options. Pick from the list, or type their numbers separated by commas.");
            }

            if (!picked.Contains(choice))
            {
                picked.Add(choice);
            }

            start = end;
        }

        if (picked.Count == 0)
        {
            return ReadAnswer.Invalid("Pick at least one option.");
        }

        if (picked.Count > 1 && picked.FirstOrDefault(c => c.Exclusive) is { } alone)
        {
            return ReadAnswer.Invalid($"\"{alone.Title}\" cannot go with other answers: pick it alone, or only the others.");
        }

        return ReadAnswer.Ok(string.Join(",", picked.Select(c => c.Value)));
    }

    private static (AnswerOption? Choice, int End) LongestMatch(IntakeQuestion question, string[] parts, int start)
    {
        for (var end = parts.Length; end > start + 1; end--)
        {
            // A run of parts is one option only by its text: "1, 3" is two numbers, never a number "13".
            var joined = string.Join(", ", parts[start..end]);
            if (MatchText(question, joined) is { } option)
            {
                return (option, end);
            }
        }

        return (Match(question, parts[start]), start + 1);
    }

    private static AnswerOption? Match(IntakeQuestion question, string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number >= 1 && number <= question.Choices.Count ? question.Choices[number - 1] : null;
        }

        return MatchText(question, text);
    }

    private static AnswerOption? MatchText(IntakeQuestion question, string text)
    {
        var wanted = Normalise(text);
        return question.Choices.FirstOrDefault(c => Normalise(c.Value) == wanted || Normalise(c.Title) == wanted)
            ?? question.Choices.FirstOrDefault(c => c.Aliases.Any(a => Normalise(a) == wanted));
    }

    /// <summary>Lower case letters and digits only, so "Power-Apps", "power apps" and "PowerApps" match.</summary>
    private static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    /// <summary>Words around a count that do not change it: hedges before, the word for people after.</summary>
    [GeneratedRegex(@"^\s*(?:(?:about|around|approx(?:imately|\.)?|roughly|circa|ca\.|some|maybe|perhaps|nearly|almost|up to|at most|at least|more than|over|less than|fewer than|under|max(?:imum)?|between|~|≈|±)\s*)+|(?:\s*(?:\+|people|persons|users|employees|colleagues|staff|members|or so|max(?:imum)?)\.?)+\s*$")]
    private static partial Regex CountWords();

    [GeneratedRegex(@"^(?<low>[0-9][0-9,' _.]*k?)(?:\s*(?:-|–|—|to|and|or)\s*(?<high>[0-9][0-9,' _.]*k?))?$")]
    private static partial Regex CountRange();

    /// <summary>Digits, or groups of three after separators, then at most one decimal part and a "k".</summary>
    [GeneratedRegex(@"^(?<whole>[0-9]{1,3}(?:[,' _][0-9]{3})+|[0-9]+)(?:\.(?<fraction>[0-9]+))?(?<k>\s*k)?$")]
    private static partial Regex CountToken();
}
