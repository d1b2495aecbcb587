using FusionBot.Features.Classification;
using FusionBot.Requests;

namespace FusionBot.Features.Intake;

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

    public IntakeQuestions(ConnectorCatalogue catalogue)
    {
        All =
        [
            new(Name, "What is the name of your solution?", QuestionKind.Text, [],
                a => a.SolutionName, (a, v) => a with { SolutionName = v }) { MaxLength = 80, Hint = "For example: Expense tracker" },
            new(Purpose, "What should it do, and for whom? A sentence or two is enough.", QuestionKind.Text, [],
                a => a.Purpose, (a, v) => a with { Purpose = v }) { MaxLength = 1000 },
            new(PlatformKey, "Which platform will you build it on?", QuestionKind.SingleChoice,
                [
                    new(nameof(Platform.PowerApps), "Power Apps", "powerapps", "app"),
                    new(nameof(Platform.PowerAutomate), "Power Automate", "powerautomate", "flow"),
                    new(nameof(Platform.CopilotStudio), "Copilot Studio", "copilotstudio", "copilot", "bot"),
                    new(nameof(Platform.Other), "Other"),
                ],
                a => a.Platform?.ToString(), (a, v) => a with { Platform = Enum.Parse<Platform>(v) }),
            new(AudienceKey, "Who will use it?", QuestionKind.SingleChoice,
                [
                    new(nameof(Audience.MyTeam), "My team", "team"),
                    new(nameof(Audience.MyDepartment), "My department", "department"),
                    new(nameof(Audience.SeveralDepartments), "Several departments", "cross-department", "departments"),
                    new(nameof(Audience.OrganisationOrExternal), "The whole organisation or external users", "organisation", "organization", "whole organisation", "whole organization", "external", "everyone"),
                ],
                a => a.Audience?.ToString(), (a, v) => a with { Audience = Enum.Parse<Audience>(v) }),
            new(Users, "About how many people will use it?", QuestionKind.Number, [],
                a => a.ExpectedUsers?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (a, v) => a with { ExpectedUsers = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) })
                { Hint = "A number, for example 12" },
            new(DataSources, "Which data sources will it use? Pick all that apply.", QuestionKind.MultiChoice,
                [
                    .. catalogue.Connectors.Select(c => new AnswerOption(c.Id, c.Name)),
                    new(DataSourceKinds.ExternalApi, "An external API", "api", "external api"),
                    new(DataSourceKinds.EnterpriseSystem, "An enterprise system (SAP, Dynamics 365, ServiceNow…)", "enterprise", "sap", "dynamics", "servicenow"),
                    new(DataSourceKinds.None, "None, or only my own lists", "none", "own lists"),
                ],
                a => a.DataSources is null ? null : string.Join(",", a.DataSources),
                (a, v) => a with { DataSources = v.Split(',') })
                { Hint = "Several answers: separate them with commas, e.g. 1, 3" },
            new(SensitivityKey, "How sensitive is the data?", QuestionKind.SingleChoice,
                [
                    new(nameof(DataSensitivity.Public), "Public"),
                    new(nameof(DataSensitivity.Internal), "Internal"),
                    new(nameof(DataSensitivity.Confidential), "Confidential", "sensitive"),
                    new(nameof(DataSensitivity.Regulated), "Regulated: personal, financial or health data", "regulated", "personal", "financial", "health", "pii"),
                ],
                a => a.Sensitivity?.ToString(), (a, v) => a with { Sensitivity = Enum.Parse<DataSensitivity>(v) }),
            new(CustomCodeKey, "Will it need custom code (scripts, custom connectors, Azure functions, plugins)?", QuestionKind.SingleChoice,
                [
                    new(nameof(CustomCode.None), "None", "no"),
                    new(nameof(CustomCode.Some), "Some", "a little"),
                    new(nameof(CustomCode.Substantial), "Substantial", "a lot"),
                ],
                a => a.CustomCode?.ToString(), (a, v) => a with { CustomCode = Enum.Parse<CustomCode>(v) }),
            new(HoursSaved, "About how many hours a week will it save? (type skip if unsure)", QuestionKind.OptionalHours, [],
                a => a.HoursSavedPerWeek?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (a, v) => a with
                {
                    HoursSavedPerWeek = v == AnswerReader.Skipped ? null : double.Parse(v, System.Globalization.CultureInfo.InvariantCulture),
                })
                { Hint = "For example 3, or skip" },
        ];
    }

    public IReadOnlyList<IntakeQuestion> All { get; }

    public IntakeQuestion Get(string key) => All.FirstOrDefault(q => q.Key == key)
        ?? throw new ArgumentOutOfRangeException(nameof(key), key, "No such intake question.");

    public IntakeQuestion? Find(string keyOrNumberOrTitle)
    {
        var text = keyOrNumberOrTitle.Trim();
        if (int.TryParse(text, out var number) && number >= 1 && number <= All.Count)
        {
            return All[number - 1];
        }

        return All.FirstOrDefault(q => string.Equals(q.Key, text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The question after <paramref name="key"/>, or null after the last.</summary>
    public IntakeQuestion? After(string key)
    {
        var index = All.ToList().FindIndex(q => q.Key == key);
        return index + 1 < All.Count ? All[index + 1] : null;
    }
}
