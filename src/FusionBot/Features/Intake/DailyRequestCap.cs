using FusionBot.Bot;
using FusionBot.Protocol.Hosting;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Intake;

/// <summary>
/// At most <see cref="IntakeOptions.MaxRequestsPerDay"/> new requests per maker per UTC day, counted when the maker
/// confirms. Over the cap the maker is told why, and the confirmed summary stays for them to submit tomorrow.
/// </summary>
public sealed class DailyRequestCap(IOptions<IntakeOptions> options, IDailyRequestCountStore counts, TimeProvider time)
{
    /// <summary>Counts one more request and returns true, or tells the maker the cap is reached and returns false.</summary>
    public async Task<bool> TryCountAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxRequestsPerDay;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (await counts.TryCountAsync(turn.TenantId(), turn.Sender().Id, today, max, cancellationToken))
        {
            return true;
        }

        await turn.SendTextAsync(
            $"You have submitted {max} requests today, the most one person may submit in a day. This request is kept: " +
            "type **confirm** tomorrow (after midnight UTC) to submit it, or **cancel** to drop it. If it cannot wait, ask a CoE admin.",
            cancellationToken);
        return false;
    }
}
