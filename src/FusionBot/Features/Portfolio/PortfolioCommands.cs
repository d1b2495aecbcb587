using System.Globalization;
using System.Text.RegularExpressions;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Features.Outbox;
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
    WorkOutbox outbox,
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

    /// <summary>The CSV reads the whole tenant, so it is prepared by the outbox, which sends the link when it is ready.</summary>
    private async Task ExportAsync(TurnContext turn, string adminId, CancellationToken cancellationToken)
    {
        if (links.Create(turn.TenantId(), adminId) is not { } link)
        {
            await turn.SendTextAsync("Export is not configured: the CoE's administrator must set Links:SigningKey (and Links:PublicBaseUrl).", cancellationToken);
            return;
        }

        var chat = turn.Activity.GetConversationReference() with { ActivityId = null };
        // One item per message: the same message delivered again asks once.
        await outbox.EnqueueAsync($"{PortfolioExportHandler.Kind}:{turn.TenantId()}:{turn.Activity.Id}", PortfolioExportHandler.Kind,
            new PortfolioExportPayload(turn.TenantId(), link, chat), cancellationToken: cancellationToken);
        await turn.SendTextAsync("Preparing your portfolio export… I'll send the download link here when it's ready.", cancellationToken);
    }

    [GeneratedRegex(@"^tier\s+(?<tier>[1-4])$")]
    private static partial Regex TierArgument();
}
