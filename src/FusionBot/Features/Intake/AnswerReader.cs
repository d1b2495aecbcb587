using System.Globalization;
using System.Text;

namespace FusionBot.Features.Intake;

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
public static class AnswerReader
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

    private static ReadAnswer ReadNumber(string text)
    {
        var digits = text.Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)
            .Replace(" ", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return ReadAnswer.Invalid($"\"{Shorten(text)}\" is not a number. Please answer with a whole number of people, for example 25.");
        }

        if (number < 1 || number > MaxUsers)
        {
            return ReadAnswer.Invalid($"Please give a number between 1 and {MaxUsers:N0}.");
        }

        return ReadAnswer.Ok(number.ToString(CultureInfo.InvariantCulture));
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

    private static ReadAnswer ReadChoices(IntakeQuestion question, string text)
    {
        var parts = text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var picked = new List<string>();
        foreach (var part in parts)
        {
            var choice = Match(question, part);
            if (choice is null)
            {
                return ReadAnswer.Invalid($"\"{Shorten(part)}\" is not one of the options. Pick from the list, or type their numbers separated by commas.");
            }

            if (!picked.Contains(choice.Value))
            {
                picked.Add(choice.Value);
            }
        }

        if (picked.Count == 0)
        {
            return ReadAnswer.Invalid("Pick at least one option.");
        }

        return ReadAnswer.Ok(string.Join(",", picked));
    }

    private static AnswerOption? Match(IntakeQuestion question, string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number >= 1 && number <= question.Choices.Count ? question.Choices[number - 1] : null;
        }

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
}
