using FusionBot.Requests;

namespace FusionBot.Features.Intake;

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
}
