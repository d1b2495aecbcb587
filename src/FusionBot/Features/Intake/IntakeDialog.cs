using FusionBot.Cards;
using FusionBot.Features.Classification;
using FusionBot.Requests;

namespace FusionBot.Features.Intake;

/// <summary>What the maker sent while a dialog is open: typed text, or the data of a card button.</summary>
public sealed record IntakeInput(string? Text, string? CardStep = null, string? CardAnswer = null, string? CardCommand = null);

/// <summary>
/// The intake conversation as a pure state machine: a state and an input in, the next state and what to say out.
/// Storage and sending live in <see cref="IntakeHandler"/>, so every path here is testable without a host.
/// </summary>
public sealed class IntakeDialog
{
    private static readonly string[] AcceptWords = ["yes", "y", "ok", "okay", "confirm", "correct", "keep", "right"];

    private readonly IntakeQuestions questions;
    private readonly TierClassifier classifier;
    private readonly ConnectorCatalogue catalogue;
    private readonly IReadOnlyList<ConnectorEnvironment> environments;

    public IntakeDialog(IntakeQuestions questions, TierClassifier classifier, ConnectorCatalogue catalogue)
        : this(questions, classifier, catalogue, [])
    {
    }

    private IntakeDialog(IntakeQuestions questions, TierClassifier classifier, ConnectorCatalogue catalogue, IReadOnlyList<ConnectorEnvironment> environments)
    {
        this.questions = questions;
        this.classifier = classifier;
        this.catalogue = catalogue;
        this.environments = environments;
    }

    /// <summary>The questions this dialog asks (with the environment when the tenant's environments are known).</summary>
    public IntakeQuestions Questions => questions;

    /// <summary>
    /// The dialog for a tenant whose Power Platform environments are known: it asks which one the solution will live in
    /// and judges the connectors by the data policies there. No environments: this dialog, unchanged.
    /// </summary>
    public IntakeDialog For(IReadOnlyList<ConnectorEnvironment> tenantEnvironments)
    {
        ArgumentNullException.ThrowIfNull(tenantEnvironments);
        return tenantEnvironments.Count == 0
            ? this
            : new IntakeDialog(questions.WithEnvironments(tenantEnvironments), classifier, catalogue, tenantEnvironments);
    }

    /// <summary>The environment the answers chose, when it is one of the tenant's.</summary>
    private ConnectorEnvironment? EnvironmentOf(IntakeAnswers answers) => answers.Environment is { } name
        ? environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        : null;

    /// <summary>The connectors' standing where the answers say the solution will live; the configured catalogue elsewhere.</summary>
    private ConnectorCatalogue ConnectorsFor(IntakeAnswers answers) => EnvironmentOf(answers)?.Connectors ?? catalogue;

    /// <param name="description">The maker's own description, kept with the answers as typed.</param>
    public IntakeOutcome Start(IntakeAnswers? suggested = null, string? resubmitOf = null, IntakeAnswers? previous = null, string? description = null)
    {
        if (previous is not null)
        {
            var reopened = new IntakeState
            {
                Step = IntakeState.SummaryStep,
                Answers = previous,
                Answered = [.. questions.All.Select(q => q.Key)],
                ResubmitOf = resubmitOf,
            };
            return Summary(reopened, null);
        }

        var first = questions.All[0];
        var state = new IntakeState { Step = first.Key, Answers = new IntakeAnswers { Description = description }, Suggested = suggested, ResubmitOf = resubmitOf };
        return Ask(state, first, null);
    }

    public IntakeOutcome Handle(IntakeState state, IntakeInput input)
    {
        var command = (input.CardCommand ?? input.Text ?? "").Trim().ToLowerInvariant();
        if (command == "back")
        {
            return Back(state);
        }

        if (input.CardStep is not null && input.CardStep != state.Step)
        {
            return Repeat(state, "That card belongs to an earlier step; here is where we are now.");
        }

        return state.Step switch
        {
            IntakeState.SummaryStep => OnSummary(state, command),
            IntakeState.ChooseEditStep => OnChooseEdit(state, input.CardAnswer ?? input.Text ?? ""),
            _ => OnAnswer(state, questions.Get(state.Step), input.CardAnswer ?? input.Text ?? ""),
        };
    }

    /// <summary>
    /// Every answer at once, from the intake form: each read and checked as the same answer typed in the chat would
    /// be. All accepted: the summary to confirm, as after the last question. Otherwise the problems, by question key.
    /// </summary>
    public IntakeFormResult SubmitForm(IReadOnlyDictionary<string, string> values)
    {
        var answers = new IntakeAnswers();
        var problems = new Dictionary<string, string>();
        foreach (var question in questions.All)
        {
            var read = AnswerReader.Read(question, values.GetValueOrDefault(question.Key) ?? "");
            var problem = read.Error ?? (question.Key == IntakeQuestions.DataSources ? BlockedConnectorProblem(question, read.Value!, answers) : null);
            if (problem is not null)
            {
                problems[question.Key] = problem;
                continue;
            }

            answers = question.Apply(answers, read.Value!);
        }

        if (problems.Count > 0)
        {
            return new IntakeFormResult(null, problems);
        }

        var state = new IntakeState { Step = IntakeState.SummaryStep, Answers = answers, Answered = [.. questions.All.Select(q => q.Key)] };
        return new IntakeFormResult(new ShowSummary(state, classifier.Classify(answers, ConnectorsFor(answers)), null), problems);
    }

    /// <summary>Says again what the current step asks, e.g. after the maker sent something the step cannot use.</summary>
    public IntakeOutcome Repeat(IntakeState state, string? problem) => state.Step switch
    {
        IntakeState.SummaryStep => Summary(state, problem),
        IntakeState.ChooseEditStep => new ChooseAnswerToEdit(state, problem),
        _ => Ask(state, questions.Get(state.Step), problem),
    };

    private IntakeOutcome OnAnswer(IntakeState state, IntakeQuestion question, string text)
    {
        var suggestion = Suggestion(state, question);
        if (suggestion is not null && AcceptWords.Contains(text.Trim().ToLowerInvariant()))
        {
            text = suggestion;
        }

        var read = AnswerReader.Read(question, text);
        if (read.Error is not null)
        {
            return Ask(state, question, read.Error);
        }

        if (question.Key == IntakeQuestions.DataSources && BlockedConnectorProblem(question, read.Value!, state.Answers) is { } blocked)
        {
            return Ask(state, question, blocked);
        }

        var answered = state with
        {
            Answers = question.Apply(state.Answers, read.Value!),
            Answered = state.Answered.Remove(question.Key).Add(question.Key),
        };
        if (question.Key == IntakeQuestions.EnvironmentKey && answered.Answers.DataSources is { } chosen
            && BlockedConnectorProblem(questions.Get(IntakeQuestions.DataSources), string.Join(",", chosen), answered.Answers) is { } nowBlocked)
        {
            // A new environment whose policies refuse a data source already picked: that answer is asked again at once.
            return Ask(answered with { Step = IntakeQuestions.DataSources, Editing = true }, questions.Get(IntakeQuestions.DataSources), nowBlocked + OtherEnvironment);
        }

        var next = answered.Editing ? null : questions.After(question.Key);
        return next is null
            ? Summary(answered with { Step = IntakeState.SummaryStep, Editing = false }, null)
            : Ask(answered with { Step = next.Key }, next, null);
    }

    private IntakeOutcome OnSummary(IntakeState state, string command)
    {
        if (command is "confirm" or "yes" or "submit")
        {
            return (IntakeOutcome?)Blocked(state) ?? new IntakeConfirmed(state, classifier.Classify(state.Answers, ConnectorsFor(state.Answers)));
        }

        if (command == "edit")
        {
            return new ChooseAnswerToEdit(state with { Step = IntakeState.ChooseEditStep }, null);
        }

        if (command.StartsWith("edit ", StringComparison.Ordinal))
        {
            return OnChooseEdit(state with { Step = IntakeState.ChooseEditStep }, command["edit ".Length..]);
        }

        return Summary(state, "Please choose Confirm, Edit an answer, or Cancel.");
    }

    private IntakeOutcome OnChooseEdit(IntakeState state, string text)
    {
        var wanted = text.Trim();
        wanted = wanted.StartsWith("edit ", StringComparison.OrdinalIgnoreCase) ? wanted["edit ".Length..] : wanted;
        var question = questions.Find(wanted);
        if (question is null)
        {
            return new ChooseAnswerToEdit(state,
                $"\"{CardText.Truncate(wanted, 40)}\" is not one of the answers. Pick the answer to change, or type its number (1–{questions.All.Count}) or its name, e.g. edit audience.");
        }

        return Ask(state with { Step = question.Key, Editing = true }, question, null);
    }

    private IntakeOutcome Back(IntakeState state)
    {
        if (state.Editing)
        {
            if (state.Step == IntakeQuestions.DataSources && Blocked(state) is not null)
            {
                // Data sources refused where the solution was moved: back is to the environment, the other way out.
                return Ask(state with { Step = IntakeQuestions.EnvironmentKey }, questions.Get(IntakeQuestions.EnvironmentKey), null);
            }

            return Summary(state with { Step = IntakeState.SummaryStep, Editing = false }, null);
        }

        if (state.Step is IntakeState.SummaryStep or IntakeState.ChooseEditStep)
        {
            var last = questions.All[^1];
            return Ask(state with { Step = last.Key }, last, null);
        }

        var index = questions.All.ToList().FindIndex(q => q.Key == state.Step);
        if (index == 0)
        {
            return Ask(state, questions.All[0], "This is the first question; there is nothing to go back to. Type cancel to stop.");
        }

        var previous = questions.All[index - 1];
        return Ask(state with { Step = previous.Key }, previous, null);
    }

    private IntakeOutcome Summary(IntakeState state, string? problem) =>
        (IntakeOutcome?)Blocked(state) ?? new ShowSummary(state, classifier.Classify(state.Answers, ConnectorsFor(state.Answers)), problem);

    /// <summary>
    /// The data sources asked again when one is blocked where the solution will live (a request re-opened after the
    /// policies changed); null when none is.
    /// </summary>
    private AskQuestion? Blocked(IntakeState state)
    {
        if (state.Answers.DataSources is not { } chosen || !questions.All.Any(q => q.Key == IntakeQuestions.EnvironmentKey))
        {
            return null;
        }

        var question = questions.Get(IntakeQuestions.DataSources);
        return BlockedConnectorProblem(question, string.Join(",", chosen), state.Answers) is { } problem
            ? Ask(state with { Step = question.Key, Editing = true }, question, problem + OtherEnvironment)
            : null;
    }

    private const string OtherEnvironment = " Or type back to choose another environment.";

    private AskQuestion Ask(IntakeState state, IntakeQuestion question, string? problem) =>
        new(state, question, problem, Suggestion(state, question)) { Connectors = ConnectorsFor(state.Answers) };

    /// <summary>The pre-filled answer for a question the maker has not answered yet.</summary>
    private static string? Suggestion(IntakeState state, IntakeQuestion question) =>
        state.Suggested is { } suggested && question.Current(state.Answers) is null ? question.Current(suggested) : null;

    /// <summary>
    /// Why a picked connector is refused where <paramref name="answers"/> say the solution will live (an external API
    /// when the policies there block both ways to reach one), naming the option to pick instead.
    /// </summary>
    private string? BlockedConnectorProblem(IntakeQuestion question, string dataSources, IntakeAnswers answers)
    {
        var connectors = ConnectorsFor(answers);
        foreach (var id in dataSources.Split(','))
        {
            if (id == DataSourceKinds.ExternalApi && EnvironmentOf(answers)?.ExternalApiBlocked is { } unreachable)
            {
                return unreachable;
            }

            if (id is DataSourceKinds.ExternalApi or DataSourceKinds.EnterpriseSystem or DataSourceKinds.None)
            {
                continue;
            }

            var check = connectors.Check(id);
            if (!check.IsAllowed)
            {
                var option = connectors.AlternativeTo(check.Connector) is { } alternative
                    ? question.Choices.Select((c, i) => (c, Number: i + 1)).FirstOrDefault(o => o.c.Value == alternative.Id)
                    : default;
                return option.c is null ? check.Message : $"{check.Message} Pick {option.c.Title} (option {option.Number}) in its place.";
            }
        }

        return null;
    }
}
