using System.Text.Json;
using FusionBot.Requests;

namespace FusionBot.Features.Intake.Prefill;

/// <summary>
/// Reads the model's JSON and keeps only values intake allows: known enum names, a count in range, catalogue
/// connector ids, text within the question limits. Anything else — a claimed tier, an instruction, an unknown
/// value — is dropped, so nothing the model says can go further than a suggestion the maker sees.
/// </summary>
public sealed class SuggestedAnswersParser(IntakeQuestions questions)
{
    /// <summary>Whether the model is asked for this answer: never the purpose, which is the maker's own description.</summary>
    public static bool IsSuggested(IntakeQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return question.Key != IntakeQuestions.Purpose;
    }

    public IntakeAnswers? Parse(string json)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var answers = new IntakeAnswers();
        foreach (var question in questions.All.Where(IsSuggested))
        {
            if (!root.TryGetProperty(question.Key, out var value))
            {
                continue;
            }

            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.Array => string.Join(",", value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString())),
                _ => null,
            };

            if (string.IsNullOrWhiteSpace(text) || !IsAllowed(question, text))
            {
                continue;
            }

            var read = AnswerReader.Read(question, text);
            if (read.Value is not null)
            {
                answers = question.Apply(answers, read.Value);
            }
        }

        return answers == new IntakeAnswers() ? null : answers;
    }

    /// <summary>Choices must be given by their exact value: the model may not lean on the lenient typed-answer matching.</summary>
    private static bool IsAllowed(IntakeQuestion question, string text) => question.Kind switch
    {
        QuestionKind.SingleChoice => question.Choices.Any(c => c.Value == text),
        QuestionKind.MultiChoice => text.Split(',').All(part => question.Choices.Any(c => c.Value == part)),
        _ => true,
    };
}
