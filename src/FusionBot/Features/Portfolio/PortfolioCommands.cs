using System.Globalization;
using System.Text.RegularExpressions;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Protocol.Hosting;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Portfolio;

/// <summary>
/// <c>portfolio</c>, <c>portfolio tier N</c>, <c>portfolio overdue</c> and <c>portfolio export</c>: the CoE's view of
/// every request. Admins only; the figures are read from the tenant's report index (<see cref="PortfolioReader"/>).
/// </summary>
public sealed partial class PortfolioCommands(
    AccessPolicy access,
    PortfolioReader reader,
    PortfolioExportLinks links,
    IOptions<PortfolioOptions> options,
    TimeProvider time)
{
    public async Task HandleAsync(TurnContext turn, string? argument, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var sender = turn.Sender();
        if (!await access.IsAdminAsync(sender, turn.TenantId(), cancellationToken))
        {
            await turn.SendTextAsync(access.RefuseNonAdmin("Only CoE admins can see the portfolio.", turn.TenantId()), cancellationToken);
            return;
        }

        var rest = (argument ?? "").Trim().ToLowerInvariant();
        if (rest == "export")
        {
            await ExportAsync(turn, sender.AadObjectId!, cancellationToken);
            return;
        }

        int? tier = TierArgument().Match(rest) is { Success: true } match ? int.Parse(match.Groups["tier"].Value, CultureInfo.InvariantCulture) : null;
        if (rest.Length > 0 && rest != "overdue" && tier is null)
        {
            await turn.SendTextAsync("Try **portfolio**, **portfolio tier 3**, **portfolio overdue** or **portfolio export**.", cancellationToken);
            return;
        }

        if (rest == "overdue")
        {
            var (count, first) = await reader.ReadOverdueAsync(turn.TenantId(), time.GetUtcNow(), cancellationToken);
            await turn.SendCardAsync(PortfolioCard.Overdue(count, first), $"{count} overdue periodic reviews", cancellationToken);
            return;
        }

        var figures = await reader.ReadAsync(turn.TenantId(), tier, time.GetUtcNow(), cancellationToken);

        var scope = tier is { } t ? $"Tier {t}" : "all requests";
        await turn.SendCardAsync(PortfolioCard.Build(figures, scope), $"Portfolio: {figures.Total} requests", cancellationToken);
    }

    private async Task ExportAsync(TurnContext turn, string adminId, CancellationToken cancellationToken)
    {
        if (links.Create(turn.TenantId(), adminId) is not { } link)
        {
            await turn.SendTextAsync("Export is not configured: the CoE's administrator must set Links:SigningKey (and Links:PublicBaseUrl).", cancellationToken);
            return;
        }

        var minutes = options.Value.ExportLinkLifetime.TotalMinutes.ToString("0", CultureInfo.InvariantCulture);
        await turn.SendCardAsync(AdaptiveCardJson.Create(
            [CardElements.TextBlock($"Your portfolio export is ready. The link works for {minutes} minutes; anyone who has it can download the file until then, so don't forward it.")],
            [CardActions.OpenUrl("Download CSV", link)]), "Portfolio export", cancellationToken);
    }

    [GeneratedRegex(@"^tier\s+(?<tier>[1-4])$")]
    private static partial Regex TierArgument();
}
