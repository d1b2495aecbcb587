using System.Globalization;

namespace FusionBot.Requests;

/// <summary>How a question is answered. <see cref="OptionalHours"/> takes a number of hours, or "skip".</summary>
public enum QuestionKind { Text, SingleChoice, MultiChoice, Number, OptionalHours }

/// <summary>
/// One answer a maker can pick. <see cref="Aliases"/> are extra words typed answers may use. An
/// <see cref="Exclusive"/> option ("none") cannot be picked together with others.
/// </summary>
public sealed record AnswerOption(string Value, string Title, params string[] Aliases)
{
    public bool Exclusive { get; init; }
}

/// <summary>
/// One intake question: how it is asked, which answers it accepts, and where the accepted answer goes.
/// <see cref="Read"/> returns the answer as stored text, or an error the maker sees before being asked again.
/// </summary>
public sealed record IntakeQuestion(
    string Key,
    string Prompt,
    QuestionKind Kind,
    IReadOnlyList<AnswerOption> Choices,
    Func<IntakeAnswers, string?> Current,
    Func<IntakeAnswers, string, IntakeAnswers> Apply)
{
    /// <summary>A short name for the answer, on the summary and for <c>edit &lt;title&gt;</c>.</summary>
    public required string Title { get; init; }

    public string? Hint { get; init; }
    public int MaxLength { get; init; } = 200;

    /// <summary>An answer as people read it: option titles rather than stored values.</summary>
    public string Display(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "—";
        }

        if (Kind == QuestionKind.Number && int.TryParse(value, CultureInfo.InvariantCulture, out var number))
        {
            return number.ToString("N0", CultureInfo.InvariantCulture);
        }

        return Choices.Count == 0
            ? value
            : string.Join(", ", value.Split(',').Select(v => Choices.FirstOrDefault(c => c.Value == v)?.Title ?? v));
    }
}
