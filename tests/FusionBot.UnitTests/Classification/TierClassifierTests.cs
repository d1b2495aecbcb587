using FusionBot.Features.Classification;
using FusionBot.Requests;

namespace FusionBot.UnitTests.Classification;

public sealed class TierClassifierTests
{
    private static readonly TierClassifier Classifier = new(ConnectorCatalogue.Default);

    private static IntakeAnswers Answers(
        Audience audience = Audience.MyTeam, int users = 5, DataSensitivity sensitivity = DataSensitivity.Internal,
        CustomCode code = CustomCode.None, params string[] sources) => new()
        {
            SolutionName = "Leave tracker",
            Audience = audience,
            ExpectedUsers = users,
            DataSources = sources.Length == 0 ? [DataSourceKinds.None] : sources,
            Sensitivity = sensitivity,
            CustomCode = code,
        };

    // The policy, restated per answer independently of the rule table: the tier each answer alone forces,
    // and a phrase its reason must contain. Tier 1 means the answer raises nothing.
    private static (int Tier, string Phrase) AudienceTier(Audience a) => a switch
    {
        Audience.MyTeam => (1, ""),
        Audience.MyDepartment => (2, "your department"),
        Audience.SeveralDepartments => (3, "several departments"),
        _ => (3, "whole organisation or external"),
    };

    private static (int Tier, string Phrase) SensitivityTier(DataSensitivity s) => s switch
    {
        DataSensitivity.Public or DataSensitivity.Internal => (1, ""),
        DataSensitivity.Confidential => (3, "confidential"),
        _ => (4, "regulated"),
    };

    private static (int Tier, string Phrase) CodeTier(CustomCode c) => c switch
    {
        CustomCode.None => (1, ""),
        CustomCode.Some => (4, "some custom code"),
        _ => (4, "substantial custom code"),
    };

    private static (int Tier, string Phrase) UsersTier(int users) => users >= 50 ? (3, $"{users} users, 50 or more") : (1, "");

    private static readonly (string Source, int Tier, string Phrase)[] SourceKinds =
    [
        ("sharepoint", 2, "approved connectors: SharePoint"),
        ("sql-server", 3, "need review: SQL Server"),
        ("acme-crm", 3, "not in the catalogue, so they need review: acme-crm"),
        (DataSourceKinds.ExternalApi, 3, "external API"),
        (DataSourceKinds.EnterpriseSystem, 4, "enterprise system"),
    ];

    [Fact]
    public void EveryCombinationGetsTheHighestTierOfItsAnswersAndNamesEachRaisingAnswer()
    {
        var failures = new List<string>();
        var combinations = 0;
        foreach (var audience in Enum.GetValues<Audience>())
        foreach (var sensitivity in Enum.GetValues<DataSensitivity>())
        foreach (var code in Enum.GetValues<CustomCode>())
        foreach (var users in new[] { 1, 49, 50, 1000 })
        for (var subset = 0; subset < 1 << SourceKinds.Length; subset++) // every combination of data source kinds
        {
            combinations++;
            var sources = SourceKinds.Where((_, i) => (subset & (1 << i)) != 0).ToList();
            List<(int Tier, string Phrase)> raised =
            [
                .. new[] { AudienceTier(audience), SensitivityTier(sensitivity), CodeTier(code), UsersTier(users) }.Where(r => r.Tier > 1),
                .. sources.Select(s => (s.Tier, s.Phrase)),
            ];
            var expectedTier = raised.Count == 0 ? 1 : raised.Max(r => r.Tier);

            var result = Classifier.Classify(Answers(audience, users, sensitivity, code, [.. sources.Select(s => s.Source)]));

            var label = $"{audience}/{sensitivity}/{code}/{users} users/[{string.Join(",", sources.Select(s => s.Source))}]";
            if (result.Tier != expectedTier)
            {
                failures.Add($"{label}: tier {result.Tier}, expected {expectedTier}");
            }
            if (raised.Count == 0)
            {
                if (result.Reasons is not ["Tier 1: team-only, no external data, non-sensitive, no custom code"])
                {
                    failures.Add($"{label}: reasons {string.Join(" | ", result.Reasons)}");
                }
                continue;
            }
            if (result.Reasons.Count != raised.Count)
            {
                failures.Add($"{label}: {result.Reasons.Count} reasons, expected {raised.Count}: {string.Join(" | ", result.Reasons)}");
            }
            foreach (var (tier, phrase) in raised)
            {
                if (!result.Reasons.Any(r => r.StartsWith($"Tier {tier}: ", StringComparison.Ordinal) && r.Contains(phrase, StringComparison.Ordinal)))
                {
                    failures.Add($"{label}: no 'Tier {tier}' reason mentioning '{phrase}' in {string.Join(" | ", result.Reasons)}");
                }
            }
            if (!result.Reasons.Select(r => r[5] - '0').SequenceEqual(result.Reasons.Select(r => r[5] - '0').OrderDescending()))
            {
                failures.Add($"{label}: reasons not highest tier first: {string.Join(" | ", result.Reasons)}");
            }
        }

        Assert.Equal(4 * 4 * 3 * 4 * 32, combinations);
        Assert.True(failures.Count == 0, $"{failures.Count} combinations misclassified:\n{string.Join("\n", failures.Take(30))}");
    }

    public static TheoryData<string, IntakeAnswers, int, string[]> Examples => new()
    {
        {
            "a team tracker on its own list",
            Answers(Audience.MyTeam, 8, DataSensitivity.Public, CustomCode.None, DataSourceKinds.None),
            1, ["Tier 1: team-only, no external data, non-sensitive, no custom code"]
        },
        {
            "a department app on SharePoint and Outlook",
            Answers(Audience.MyDepartment, 40, DataSensitivity.Internal, CustomCode.None, "sharepoint", "outlook"),
            2, ["Tier 2: audience is your department", "Tier 2: uses approved connectors: SharePoint, Office 365 Outlook"]
        },
        {
            "a cross-department flow with 120 users",
            Answers(Audience.SeveralDepartments, 120, DataSensitivity.Internal, CustomCode.None, "dataverse"),
            3, ["Tier 3: audience spans several departments", "Tier 3: 120 users, 50 or more", "Tier 2: uses approved connectors: Dataverse"]
        },
        {
            "a team bot on an external API with confidential data",
            Answers(Audience.MyTeam, 10, DataSensitivity.Confidential, CustomCode.None, DataSourceKinds.ExternalApi),
            3, ["Tier 3: reads or writes an external API", "Tier 3: handles confidential data"]
        },
        {
            "a finance app reading SAP",
            Answers(Audience.MyDepartment, 30, DataSensitivity.Regulated, CustomCode.None, DataSourceKinds.EnterpriseSystem),
            4, ["Tier 4: connects to an enterprise system (SAP, Dynamics 365, ServiceNow…)", "Tier 4: handles regulated data (personal, financial or health)", "Tier 2: audience is your department"]
        },
        {
            "a team tool with a custom Azure Function",
            Answers(Audience.MyTeam, 5, DataSensitivity.Internal, CustomCode.Some, "SQL-Server"),
            4, ["Tier 4: includes some custom code", "Tier 3: uses connectors that need review: SQL Server"]
        },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void ClassifiesReadableExamples(string example, IntakeAnswers answers, int tier, string[] reasons)
    {
        var result = Classifier.Classify(answers);

        Assert.True(tier == result.Tier, $"{example}: tier {result.Tier}");
        Assert.Equal(reasons, result.Reasons);
    }

    [Fact]
    public void NoneAlongsideARealSourceIsIgnored()
    {
        var result = Classifier.Classify(Answers(sources: [DataSourceKinds.None, "teams"]));

        Assert.Equal(2, result.Tier);
        Assert.Equal(["Tier 2: uses approved connectors: Microsoft Teams"], result.Reasons);
    }

    [Fact]
    public void MissingAnswersAreNamedAndClassificationRefusesThem()
    {
        var answers = new IntakeAnswers { SolutionName = "x", Audience = Audience.MyTeam, DataSources = [] };

        Assert.Equal(["expected users", "data sources", "data sensitivity", "custom code"], TierClassifier.MissingAnswers(answers));
        var error = Assert.Throws<IncompleteAnswersException>(() => Classifier.Classify(answers));
        Assert.Equal(["expected users", "data sources", "data sensitivity", "custom code"], error.Missing);
        Assert.Contains("expected users, data sources, data sensitivity, custom code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompleteAnswersMissNothing()
    {
        Assert.Empty(TierClassifier.MissingAnswers(Answers()));
    }

    [Fact]
    public void ABlockedConnectorIsRefusedNotClassified()
    {
        var error = Assert.Throws<ArgumentException>(() => Classifier.Classify(Answers(sources: ["dropbox"])));

        Assert.Contains("Dropbox is blocked by policy; use OneDrive for Business instead.", error.Message, StringComparison.Ordinal);
    }
}
