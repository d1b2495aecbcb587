using FusionBot.Features.Digest;
using FusionBot.PowerPlatform;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Inventory;

/// <summary>The digest's "found / registered this week": the window's rows of the found index, nothing else read.</summary>
public sealed class InventoryDigest(InventoryStore inventory, IOptions<PowerPlatformOptions> options) : IDigestInventory
{
    public async Task<InventoryFigures?> ReadAsync(string tenantId, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || !string.Equals(options.Value.TenantId, tenantId, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var found = await inventory.FoundAsync(tenantId, windowStart, windowEnd, cancellationToken);
        return new InventoryFigures(found.Count, found.Count(f => f.Registered));
    }
}
