using System.Text.Json.Serialization;

namespace FusionBot.Requests;

/// <summary>What a maker answered at intake; the only input of classification.</summary>
public sealed record IntakeAnswers
{
    public string? SolutionName { get; init; }
    public string? Purpose { get; init; }

    /// <summary>
    /// The maker's own description from the start of the dialog, as typed, when they gave one: kept with the request
    /// whatever the model suggested from it or the maker later wrote as the purpose. Not used to classify.
    /// </summary>
    public string? Description { get; init; }
    public Platform? Platform { get; init; }

    /// <summary>
    /// The Power Platform environment the solution will live in (its id), asked only when the tenant's Power Platform
    /// is connected; the connectors are classified by the data policies there. <see cref="EnvironmentName"/> is how
    /// people know it.
    /// </summary>
    public string? Environment { get; init; }
    public string? EnvironmentName { get; init; }
    public Audience? Audience { get; init; }
    public int? ExpectedUsers { get; init; }

    /// <summary>Connector ids from the catalogue, or one of <see cref="DataSourceKinds"/>.</summary>
    public IReadOnlyList<string>? DataSources { get; init; }

    public DataSensitivity? Sensitivity { get; init; }
    public CustomCode? CustomCode { get; init; }

    /// <summary>The maker's estimate of hours a week the solution saves; null when they skipped it. Not used to classify.</summary>
    public double? HoursSavedPerWeek { get; init; }
}

/// <summary>Data sources that are not catalogue connectors.</summary>
public static class DataSourceKinds
{
    public const string None = "none";
    public const string ExternalApi = "external-api";
    public const string EnterpriseSystem = "enterprise-system";
}

[JsonConverter(typeof(JsonStringEnumConverter<Platform>))]
public enum Platform { PowerApps, PowerAutomate, CopilotStudio, Other }

[JsonConverter(typeof(JsonStringEnumConverter<Audience>))]
public enum Audience { MyTeam, MyDepartment, SeveralDepartments, OrganisationOrExternal }

[JsonConverter(typeof(JsonStringEnumConverter<DataSensitivity>))]
public enum DataSensitivity { Public, Internal, Confidential, Regulated }

[JsonConverter(typeof(JsonStringEnumConverter<CustomCode>))]
public enum CustomCode { None, Some, Substantial }
