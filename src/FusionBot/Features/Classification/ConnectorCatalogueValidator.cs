using Microsoft.Extensions.Options;

namespace FusionBot.Features.Classification;

/// <summary>
/// The <c>Connectors</c> section: every entry with an id and a name, no id twice, and a blocked connector's
/// alternative a connector makers may pick (by its id or name), since intake offers it in the blocked one's place.
/// </summary>
public sealed class ConnectorCatalogueValidator : IValidateOptions<List<Connector>>
{
    private const string Section = ConnectorCatalogue.SectionName;

    public ValidateOptionsResult Validate(string? name, List<Connector> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Count; i++)
        {
            var connector = options[i];
            if (string.IsNullOrWhiteSpace(connector.Id) || string.IsNullOrWhiteSpace(connector.Name))
            {
                failures.Add($"{Section}:{i} needs an Id and a Name.");
            }
            else if (!seen.Add(connector.Id.Trim()))
            {
                failures.Add($"{Section}:{i}:Id '{connector.Id}' appears more than once.");
            }

            if (!string.IsNullOrWhiteSpace(connector.Alternative) && !options.Any(c => c.Status != ConnectorStatus.Blocked && Names(c, connector.Alternative)))
            {
                failures.Add($"{Section}:{i}:Alternative '{connector.Alternative}' must be the Id or Name of a connector in '{Section}' that is not blocked, so makers can pick it instead.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool Names(Connector connector, string text) =>
        string.Equals(connector.Id, text.Trim(), StringComparison.OrdinalIgnoreCase) || string.Equals(connector.Name, text.Trim(), StringComparison.OrdinalIgnoreCase);
}
