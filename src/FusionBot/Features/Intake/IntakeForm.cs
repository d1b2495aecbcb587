using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Features.Classification;
using FusionBot.Requests;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Intake;

/// <summary>
/// The intake as one form in a Teams dialog: every question of <see cref="IntakeQuestions"/> on one card, read by
/// the same dialog as the chat. Buttons carry <see cref="FormKey"/>, so the dialog's invokes are recognised.
/// </summary>
public sealed class IntakeForm(IntakeQuestions questions, ConnectorCatalogue catalogue)
{
    /// <summary>The data key of the button that opens the dialog and of the form's own submit button.</summary>
    public const string FormKey = "intakeForm";

    public const string Title = "New request";

    /// <summary>The form asking <paramref name="asked"/> (with the environment question, when it is asked).</summary>
    public IntakeForm For(IntakeQuestions asked) => ReferenceEquals(asked, questions) ? this : new IntakeForm(asked, catalogue);

    /// <summary>
    /// A button for cards in the 1:1 chat that opens the form: Teams sends <c>task/fetch</c> with the button's data
    /// rather than a message.
    /// </summary>
    public static JsonObject OpenButton(string title = "Fill in a form") => CardActions.Submit(title, new JsonObject
    {
        ["msteams"] = new JsonObject { ["type"] = "task/fetch" },
        [FormKey] = "open",
    }, withInputs: false);

    /// <summary>The card that offers <see cref="OpenButton"/>, for <c>new request form</c> typed in the chat.</summary>
    public static JsonObject Offer() => AdaptiveCardJson.Create(
    [
        TextBlock("Every question on one form: fill it in, and I show you the tier here to confirm."),
    ],
    [OpenButton("Open the form")]);

    /// <param name="values">What the maker entered, by question key: shown again when the form comes back.</param>
    /// <param name="problems">Why answers were not accepted, by question key; each is shown above its question.</param>
    public JsonObject Card(IReadOnlyDictionary<string, string>? values = null, IReadOnlyDictionary<string, string>? problems = null)
    {
        List<JsonNode> body = [TextBlock("Answer every question; I work out the tier and show it in our chat for you to confirm.", subtle: true)];
        if (problems is { Count: > 0 })
        {
            body.Add(Container([TextBlock(problems.Count == 1
                ? "One answer needs a change: see the note above it."
                : $"{problems.Count} answers need a change: see the notes above them.")], ContainerStyle.Attention));
        }

        foreach (var question in questions.All)
        {
            if (problems?.GetValueOrDefault(question.Key) is { } problem)
            {
                body.Add(Container([TextBlock(CardText.Escape(problem))], ContainerStyle.Attention));
            }

            body.Add(Input(question, values?.GetValueOrDefault(question.Key)));
            if (question.Hint is { } hint && question.Key == IntakeQuestions.EnvironmentKey)
            {
                body.Add(TextBlock(hint, subtle: true));
            }

            if (question.Key == IntakeQuestions.DataSources && Blocked() is { Count: > 0 } blocked)
            {
                body.Add(TextBlock("Blocked by policy, so not offered: " + string.Join("; ", blocked.Select(c =>
                    c.Alternative is { } alternative ? $"{c.Name} (use {alternative})" : c.Name)) + ".", subtle: true));
            }
        }

        return AdaptiveCardJson.Create(body,
        [
            CardActions.Submit("Check my answers", new JsonObject { [FormKey] = "submit" }, style: ActionStyle.Positive),
        ]);
    }

    /// <summary>The answer to <c>task/fetch</c> or a rejected <c>task/submit</c>: the dialog shows <paramref name="card"/>.</summary>
    public static JsonObject Continue(JsonObject card) => new()
    {
        ["task"] = new JsonObject
        {
            ["type"] = "continue",
            ["value"] = new JsonObject
            {
                ["title"] = Title,
                ["height"] = "large",
                ["width"] = "medium",
                ["card"] = new JsonObject { ["contentType"] = Protocol.Models.Attachment.AdaptiveCardContentType, ["content"] = card },
            },
        },
    };

    /// <summary>The answer that closes the dialog (or keeps it open with only this text, when it cannot be shown).</summary>
    public static JsonObject Message(string text) => new()
    {
        ["task"] = new JsonObject { ["type"] = "message", ["value"] = text },
    };

    private List<Connector> Blocked() => [.. catalogue.Connectors.Where(c => c.Status == ConnectorStatus.Blocked)];

    /// <summary>The question is the input's label; one that takes typed text keeps its hint as the placeholder.</summary>
    private JsonObject Input(IntakeQuestion question, string? value)
    {
        if (question.Kind is QuestionKind.SingleChoice or QuestionKind.MultiChoice)
        {
            var blocked = Blocked().Select(c => c.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var multi = question.Kind == QuestionKind.MultiChoice;
            return CardInputs.ChoiceSet(question.Key, question.Prompt,
                question.Choices.Where(c => !blocked.Contains(c.Value)).Select(c => new Choice(c.Title, c.Value)),
                multi ? ChoiceStyle.Expanded : ChoiceStyle.Compact, multiSelect: multi,
                values: string.IsNullOrEmpty(value) ? null : multi ? value.Split(',') : [value]);
        }

        return CardInputs.Text(question.Key, question.Prompt, value,
            question.Kind == QuestionKind.Text ? question.Hint : question.Hint?.Replace(", or skip", ", or leave empty", StringComparison.Ordinal),
            multiline: question.MaxLength > 200, maxLength: question.MaxLength);
    }
}
