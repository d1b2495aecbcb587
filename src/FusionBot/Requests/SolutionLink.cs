using System.Text.Json.Serialization;

namespace FusionBot.Requests;

/// <summary>
/// A solution in the tenant that a request stands for: an app, a cloud flow, a Copilot Studio agent or a whole
/// solution, in an environment. <see cref="EnvironmentId"/> is empty when the maker did not say which ("any
/// environment"). Ids are kept as the platform spells them; keys compare them case-insensitively.
/// </summary>
public sealed record SolutionLink(SolutionKind Kind, string EnvironmentId, string ResourceId, string DisplayName);

[JsonConverter(typeof(JsonStringEnumConverter<SolutionKind>))]
public enum SolutionKind
{
    App,
    Flow,
    Agent,
    Solution,
}
