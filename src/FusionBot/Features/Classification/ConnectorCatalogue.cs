namespace FusionBot.Features.Classification;

/// <summary>The connectors makers may use, need review, or must not use. Ids compare case-insensitively.</summary>
public sealed class ConnectorCatalogue
{
    public const string SectionName = "Connectors";

    private readonly Dictionary<string, Connector> _byId;

    public ConnectorCatalogue(IEnumerable<Connector> connectors)
    {
        Connectors = [.. connectors];
        foreach (var connector in Connectors)
        {
            if (string.IsNullOrWhiteSpace(connector.Id) || string.IsNullOrWhiteSpace(connector.Name))
            {
                throw new ArgumentException($"Every connector in '{SectionName}' needs an Id and a Name.", nameof(connectors));
            }
        }
        var duplicate = Connectors.GroupBy(c => c.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Connector id '{duplicate.Key}' appears more than once in '{SectionName}'.", nameof(connectors));
        }
        _byId = Connectors.ToDictionary(c => c.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Used when configuration has no <c>Connectors</c> section.</summary>
    public static ConnectorCatalogue Default { get; } = new(
    [
        new() { Id = "sharepoint", Name = "SharePoint", Status = ConnectorStatus.Approved },
        new() { Id = "dataverse", Name = "Dataverse", Status = ConnectorStatus.Approved },
        new() { Id = "outlook", Name = "Office 365 Outlook", Status = ConnectorStatus.Approved },
        new() { Id = "teams", Name = "Microsoft Teams", Status = ConnectorStatus.Approved },
        new() { Id = "excel-online", Name = "Excel Online (Business)", Status = ConnectorStatus.Approved },
        new() { Id = "sql-server", Name = "SQL Server", Status = ConnectorStatus.NeedsReview },
        new() { Id = "http", Name = "HTTP", Status = ConnectorStatus.NeedsReview },
        new() { Id = "onedrive", Name = "OneDrive for Business", Status = ConnectorStatus.Approved },
        new() { Id = "dropbox", Name = "Dropbox", Status = ConnectorStatus.Blocked, Alternative = "OneDrive for Business" },
        new() { Id = "gmail", Name = "Gmail", Status = ConnectorStatus.Blocked, Alternative = "Office 365 Outlook" },
    ]);

    public IReadOnlyList<Connector> Connectors { get; }

    /// <summary>The catalogue connector a blocked one names as its <see cref="Connector.Alternative"/> (by id or name), if any.</summary>
    public Connector? AlternativeTo(Connector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        return string.IsNullOrWhiteSpace(connector.Alternative)
            ? null
            : Connectors.FirstOrDefault(c => c.Status != ConnectorStatus.Blocked
                && (string.Equals(c.Id, connector.Alternative.Trim(), StringComparison.OrdinalIgnoreCase)
                    || string.Equals(c.Name, connector.Alternative.Trim(), StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// The catalogue's verdict; intake refuses a blocked connector with <see cref="ConnectorCheck.Message"/>.
    /// A connector the catalogue does not know needs review: nobody has vetted it yet.
    /// </summary>
    public ConnectorCheck Check(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (!_byId.TryGetValue(id.Trim(), out var connector))
        {
            var unknown = new Connector { Id = id.Trim(), Name = id.Trim(), Status = ConnectorStatus.NeedsReview };
            return new(unknown, InCatalogue: false, $"{unknown.Name} is not in the connector catalogue, so it needs review.");
        }
        var message = connector.Status switch
        {
            ConnectorStatus.Approved when connector.Reason is { } reason => $"{connector.Name} is approved: {reason}.",
            ConnectorStatus.NeedsReview when connector.Reason is { } reason => $"{connector.Name} needs review before use: {reason}.",
            ConnectorStatus.Blocked when connector.Reason is { } reason => $"{connector.Name} is {reason}.",
            ConnectorStatus.Approved => $"{connector.Name} is an approved connector.",
            ConnectorStatus.NeedsReview => $"{connector.Name} needs review before use.",
            _ when connector.Alternative is { } alternative => $"{connector.Name} is blocked by policy; use {alternative} instead.",
            _ => $"{connector.Name} is blocked by policy.",
        };
        return new(connector, InCatalogue: true, message);
    }
}
