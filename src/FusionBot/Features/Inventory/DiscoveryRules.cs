using System.Globalization;
using FusionBot.Features.Classification;
using FusionBot.PowerPlatform;

namespace FusionBot.Features.Inventory;

/// <summary>
/// Which unregistered solutions the CoE wants to hear about, and why (each reason a sentence for the owner's card). A
/// solution younger than the grace period is left alone (its maker may still register it); after that it is flagged
/// when it is shared with at least <see cref="PowerPlatformOptions.FlagSharedWith"/> people or with everyone, uses a
/// connector that is not approved in its environment or a custom one, or lives in a production environment.
/// </summary>
public static class DiscoveryRules
{
    public static IReadOnlyList<string> Reasons(
        PlatformSolution solution, PlatformEnvironment environment, EnvironmentCatalogue catalogue, PowerPlatformOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(solution);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(options);
        if (solution.CreatedAt is { } created && now - created < options.GracePeriod)
        {
            return [];
        }

        var reasons = new List<string>();
        if (solution.SharedWithEveryone)
        {
            reasons.Add("it is shared with everyone in the organisation");
        }
        else if (solution.SharedWith >= options.FlagSharedWith)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"it is shared with {solution.SharedUsers} people and {solution.SharedGroups} groups"));
        }

        foreach (var connector in solution.Connectors.Select(catalogue.Classify).Where(c => c.Status != ConnectorStatus.Approved))
        {
            reasons.Add($"it uses {connector.Name} ({connector.Reason})");
        }

        if (environment.Sku == "Production")
        {
            reasons.Add($"it lives in the production environment {environment.DisplayName}");
        }

        return reasons;
    }
}
