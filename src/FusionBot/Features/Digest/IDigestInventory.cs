namespace FusionBot.Features.Digest;

/// <summary>
/// What the tenant's inventory found in a digest's window, when its Power Platform is connected: implemented by the
/// inventory; without it the digest has no such line.
/// </summary>
public interface IDigestInventory
{
    /// <summary>Null when the tenant's Power Platform is not connected.</summary>
    Task<InventoryFigures?> ReadAsync(string tenantId, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken);
}

/// <param name="Found">Solutions the sync first found, unregistered, in the window.</param>
/// <param name="Registered">Of them, those registered or linked to a request by the last sync.</param>
public sealed record InventoryFigures(int Found, int Registered);
