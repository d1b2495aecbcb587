using FusionBot.Links;
using FusionBot.Storage;

namespace FusionBot.Features.Components;

/// <summary>A suggested component and the link its "Open" button follows.</summary>
public sealed record SuggestedComponent(CatalogueComponent Component, Uri OpenLink);

/// <summary>
/// Suggestion links that pass through the bot (GET /components/open), so the CoE learns which suggestions makers open:
/// Teams runs Action.OpenUrl in the client and tells the bot nothing. Signed for the tenant, component and user, so
/// nobody can forge opens or use the bot as an open redirect; without signed links configured they go straight to the
/// component and opens are not recorded.
/// </summary>
public sealed class ComponentOpenLinks(SignedLinks links)
{
    public const string Path = "/components/open";

    public IReadOnlyList<SuggestedComponent> For(string tenantId, string userId, IReadOnlyList<CatalogueComponent> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        return [.. components.Select(c => new SuggestedComponent(c,
            links.Create(Path, [new("tenant", tenantId), new("component", c.Id), new("user", userId)]) ?? c.Link))];
    }

    /// <summary>The tenant, component and user of a genuine link; null otherwise.</summary>
    public (string TenantId, string ComponentId, string UserId)? Read(IQueryCollection query) =>
        links.Read(Path, query, "tenant", "component", "user") is [var tenant, var component, var user]
            ? (tenant.Value, component.Value, user.Value)
            : null;
}
