using FusionBot.Features.Classification;
namespace FusionBot.Requests;

/// <summary>The intake questions in the order they are asked. Data source choices come from the connector catalogue.</summary>
public sealed class IntakeQuestions
{
    public const string Name = "name";
    public const string Purpose = "purpose";
    public const string PlatformKey = "platform";
    public const string AudienceKey = "audience";
    public const string Users = "users";
    public const string DataSources = "dataSources";
    public const string SensitivityKey = "sensitivity";
    public const string CustomCodeKey = "customCode";
    public const string HoursSaved = "hoursSaved";
    public const string EnvironmentKey = "environment";

    public IntakeQuestions(ConnectorCatalogue catalogue)
    {
        All =
        [
            new(Name, "What is the name of your solution?", QuestionKind.Text, [],
                a => a.SolutionName, (a, v) => a with { SolutionName = v }) { Title = "Name", MaxLength = 80, Hint = "For example: Expense tracker" },
            new(Purpose, "What should it do, and for whom? A sentence or two is enough.", QuestionKind.Text, [],
                a => a.Purpose, (a, v) => a with { Purpose = v }) { Title = "Purpose", MaxLength = 1000 },
            new(PlatformKey, "Which platform will you build it on?", QuestionKind.SingleChoice,
                [
                    new(nameof(Platform.PowerApps), "Power Apps", "powerapps", "app"),
                    new(nameof(Platform.PowerAutomate), "Power Automate", "powerautomate", "flow"),
                    new(nameof(Platform.CopilotStudio), "Copilot Studio", "copilotstudio", "copilot", "bot"),
                    new(nameof(Platform.Other), "Other"),
                ],
                a => a.Platform?.ToString(), (a, v) => a with { Platform = Enum.Parse<Platform>(v) }) { Title = "Platform" },
            new(AudienceKey, "Who will use it?", QuestionKind.SingleChoice,
                [
                    new(nameof(Audience.MyTeam), "My team", "team"),
                    new(nameof(Audience.MyDepartment), "My department", "department"),
                    new(nameof(Audience.SeveralDepartments), "Several departments", "cross-department", "departments"),
                    new(nameof(Audience.OrganisationOrExternal), "The whole organisation or external users", "organisation", "organization", "whole organisation", "whole organization", "external", "everyone"),
                ],
                a => a.Audience?.ToString(), (a, v) => a with { Audience = Enum.Parse<Audience>(v) }) { Title = "Audience" },
            new(Users, "About how many people will use it?", QuestionKind.Number, [],
                a => a.ExpectedUsers?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (a, v) => a with { ExpectedUsers = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) })
                { Title = "Users", Hint = "A number, for example 12 (a range such as 40-50 counts as 50)" },
            new(DataSources, "Which data sources will it use? Pick all that apply.", QuestionKind.MultiChoice,
                [
                    .. catalogue.Connectors.Select(c => new AnswerOption(c.Id, c.Name)),
                    new(DataSourceKinds.ExternalApi, "An external API", "api", "external api"),
                    new(DataSourceKinds.EnterpriseSystem, "An enterprise system (SAP, Dynamics 365, ServiceNow…)", "enterprise", "sap", "dynamics", "servicenow"),
                    new(DataSourceKinds.None, "None, or only my own lists", "none", "own lists") { Exclusive = true },
                ],
                a => a.DataSources is null ? null : string.Join(",", a.DataSources),
                (a, v) => a with { DataSources = v.Split(',') })
                { Title = "Data sources", Hint = "Several answers: separate them with commas, e.g. 1, 3" },
            new(SensitivityKey, "How sensitive is the data?", QuestionKind.SingleChoice,
                [
                    new(nameof(DataSensitivity.Public), "Public"),
                    new(nameof(DataSensitivity.Internal), "Internal"),
                    new(nameof(DataSensitivity.Confidential), "Confidential", "sensitive"),
                    new(nameof(DataSensitivity.Regulated), "Regulated: personal, financial or health data", "regulated", "personal", "financial", "health", "pii"),
                ],
                a => a.Sensitivity?.ToString(), (a, v) => a with { Sensitivity = Enum.Parse<DataSensitivity>(v) }) { Title = "Data sensitivity" },
            new(CustomCodeKey, "Will it need custom code (scripts, custom connectors, Azure functions, plugins)?", QuestionKind.SingleChoice,
                [
                    new(nameof(CustomCode.None), "None", "no"),
                    new(nameof(CustomCode.Some), "Some", "a little"),
                    new(nameof(CustomCode.Substantial), "Substantial", "a lot"),
                ],
                a => a.CustomCode?.ToString(), (a, v) => a with { CustomCode = Enum.Parse<CustomCode>(v) }) { Title = "Custom code" },
            new(HoursSaved, "About how many hours a week will it save? (type skip if unsure)", QuestionKind.OptionalHours, [],
                a => a.HoursSavedPerWeek?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (a, v) => a with
                {
                    HoursSavedPerWeek = v == AnswerReader.Skipped ? null : double.Parse(v, System.Globalization.CultureInfo.InvariantCulture),
                })
                { Title = "Hours saved a week", Hint = "For example 3, or skip" },
        ];
    }

    private IntakeQuestions(IReadOnlyList<IntakeQuestion> all) => All = all;

    public IReadOnlyList<IntakeQuestion> All { get; }

    /// <summary>
    /// The questions with "which environment will it live in?" after the platform, its choices the tenant's
    /// environments (the default one first); the same questions when there are none.
    /// </summary>
    public IntakeQuestions WithEnvironments(IReadOnlyList<ConnectorEnvironment> environments)
    {
        ArgumentNullException.ThrowIfNull(environments);
        if (environments.Count == 0 || All.Any(q => q.Key == EnvironmentKey))
        {
            return this;
        }

        var names = environments.ToDictionary(e => e.Name, e => e.DisplayName, StringComparer.OrdinalIgnoreCase);
        var question = new IntakeQuestion(EnvironmentKey, "Which Power Platform environment will it live in?", QuestionKind.SingleChoice,
            [.. environments.Select(e => new AnswerOption(e.Name, e.IsDefault && !e.DisplayName.Contains("default", StringComparison.OrdinalIgnoreCase)
                ? $"{e.DisplayName} (default)" : e.DisplayName, e.DisplayName))],
            a => a.Environment,
            (a, v) => a with { Environment = v, EnvironmentName = names.GetValueOrDefault(v, v) })
            { Title = "Environment", Hint = "What each connector may do depends on the environment's data policies: type connectors to see." };
        var platform = All.ToList().FindIndex(q => q.Key == PlatformKey);
        return new IntakeQuestions([.. All.Take(platform + 1), question, .. All.Skip(platform + 1)]);
    }

    /// <summary>
    /// Every answer as people read it, by title, for the cards that show a request (the review card, status, the
    /// backlog item): the environment, when the request has one, after the platform.
    /// </summary>
    public IEnumerable<(string Title, string Answer)> Facts(IntakeAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        foreach (var question in All)
        {
            yield return (question.Title, question.Display(question.Current(answers)));
            if (question.Key == PlatformKey && answers.Environment is not null && All.All(q => q.Key != EnvironmentKey))
            {
                yield return ("Environment", answers.EnvironmentName ?? answers.Environment);
            }
        }
    }

    public IntakeQuestion Get(string key) => All.FirstOrDefault(q => q.Key == key)
        ?? throw new ArgumentOutOfRangeException(nameof(key), key, "No such intake question.");

    /// <summary>
    /// The question the maker means by its number, key or title ("6", "users", "data sources", "Custom code"), or by
    /// a word only one title has ("sources", "hours"); null when none or several match.
    /// </summary>
    public IntakeQuestion? Find(string keyOrNumberOrTitle)
    {
        var text = keyOrNumberOrTitle.Trim();
        if (int.TryParse(text, out var number) && number >= 1 && number <= All.Count)
        {
            return All[number - 1];
        }

        var wanted = Letters(text);
        if (wanted.Length == 0)
        {
            return null;
        }

        var exact = All.FirstOrDefault(q => Letters(q.Key) == wanted || Letters(q.Title) == wanted);
        if (exact is not null)
        {
            return exact;
        }

        var partial = All.Where(q => Letters(q.Title).Contains(wanted, StringComparison.Ordinal)).ToList();
        return partial.Count == 1 ? partial[0] : null;
    }

    private static string Letters(string text) => new([.. text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    /// <summary>The question after <paramref name="key"/>, or null after the last.</summary>
    public IntakeQuestion? After(string key)
    {
        var index = All.ToList().FindIndex(q => q.Key == key);
        return index + 1 < All.Count ? All[index + 1] : null;
    }
}
