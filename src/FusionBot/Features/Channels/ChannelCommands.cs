using System.Text;
using System.Text.RegularExpressions;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Features.Help;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Channels;

/// <summary>
/// What an admin says to the bot in a team channel: <c>register tier 2|3|4</c>, <c>register community</c>,
/// <c>unregister …</c>, <c>channels</c>. A tier goes to one channel (registering moves it); a channel may serve
/// several tiers; community channels may be several. Routes belong to the tenant the command came from. Anything else gets the channel help card.
/// </summary>
public sealed partial class ChannelCommands(IChannelRoutingStore routes, AccessPolicy access, ReviewRouting review, TimeProvider time)
{
    public async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        turn.Activity.RemoveRecipientMention();
        var text = (turn.Activity.Text ?? "").Trim();
        if (turn.Activity.Value is not null && text.Length == 0)
        {
            await turn.SendTextAsync("I could not read what that card sent; it may come from an older version of me. Mention me with **help** to see what I can do.", cancellationToken);
            return;
        }

        if (!turn.Activity.MentionsRecipient())
        {
            // Where the team granted ChannelMessage.Read.Group (to find a review card after a crash), Teams delivers
            // every channel message; only those that mention the bot are for it.
            return;
        }

        var register = RegisterCommand().Match(text);
        var isList = text.Equals("channels", StringComparison.OrdinalIgnoreCase);
        if (!register.Success && !isList)
        {
            await turn.SendCardAsync(HelpCard.Build(inChannel: true), "What FusionBot does", cancellationToken);
            return;
        }

        if (!await access.IsAdminAsync(turn.Sender(), turn.TenantId(), cancellationToken))
        {
            await turn.SendTextAsync(access.RefuseNonAdmin("Only CoE admins can change or list where FusionBot posts. Ask a CoE admin to do it.", turn.TenantId()), cancellationToken);
            return;
        }

        if (isList)
        {
            await ListAsync(turn, cancellationToken);
            return;
        }

        var role = register.Groups["tier"].Success ? $"tier{register.Groups["tier"].Value}" : ChannelRoles.Community;
        if (register.Groups["verb"].Value.Equals("unregister", StringComparison.OrdinalIgnoreCase))
        {
            await UnregisterAsync(turn, role, cancellationToken);
        }
        else
        {
            await RegisterAsync(turn, role, cancellationToken);
        }
    }

    private async Task RegisterAsync(TurnContext turn, string role, CancellationToken cancellationToken)
    {
        var channelData = turn.Activity.GetTeamsChannelData();
        if (channelData?.Channel?.Id is not { } channelId)
        {
            await turn.SendTextAsync("I can only register a team channel: say this in the channel itself.", cancellationToken);
            return;
        }

        var tenantId = turn.TenantId();
        if (role != ChannelRoles.Community)
        {
            // A tier's reviews go to one place: registering a tier here takes it from wherever it was.
            foreach (var other in await routes.GetChannelsAsync(tenantId, role, cancellationToken))
            {
                if (other.ChannelId != channelId)
                {
                    await routes.UnregisterAsync(tenantId, role, other.ChannelId, cancellationToken);
                }
            }
        }

        await routes.RegisterAsync(role, new ChannelRegistration
        {
            ChannelId = channelId,
            ChannelName = channelData.Channel.Name,
            TeamId = channelData.Team?.Id,
            TeamGroupId = channelData.Team?.AadGroupId,
            TeamName = channelData.Team?.Name,
            ServiceUrl = turn.Activity.ServiceUrl ?? throw new InvalidOperationException("A channel message without a serviceUrl cannot be registered."),
            TenantId = tenantId,
            RegisteredBy = turn.Sender(),
            RegisteredAt = time.GetUtcNow(),
        }, cancellationToken);

        var answer = new StringBuilder($"Done: {Describe(role)} now go to this channel.");
        if (Tier(role) is { } tier)
        {
            var routed = await review.RouteWaitingAsync(tenantId, tier, cancellationToken);
            if (routed > 0)
            {
                answer.Append($" {CardWords.Count(routed, "waiting request")} {(routed == 1 ? "is" : "are")} being posted now.");
            }
        }

        await turn.SendTextAsync(answer.ToString(), cancellationToken);
    }

    private async Task UnregisterAsync(TurnContext turn, string role, CancellationToken cancellationToken)
    {
        var channelId = turn.Activity.GetTeamsChannelData()?.Channel?.Id;
        var removed = channelId is not null && await routes.UnregisterAsync(turn.TenantId(), role, channelId, cancellationToken);
        await turn.SendTextAsync(removed
            ? $"Done: {Describe(role)} no longer go to this channel."
            : $"This channel was not registered for {Describe(role)}; nothing changed.", cancellationToken);
    }

    private async Task ListAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var all = await routes.ListAllAsync(turn.TenantId(), cancellationToken);
        var lines = ChannelRoles.All.Select(role =>
        {
            var channels = all.Where(r => r.Role == role).Select(r => CardText.EscapeLine(
                $"{r.Channel.ChannelName ?? r.Channel.ChannelId}{(r.Channel.TeamName is { } team ? $" ({team})" : "")}"));
            var where = string.Join(", ", channels);
            return $"- {Describe(role)}: {(where.Length == 0 ? "not set" : where)}";
        });
        await turn.SendTextAsync("Where FusionBot posts:\n\n" + string.Join("\n", lines), cancellationToken);
    }

    private static int? Tier(string role) => role.StartsWith("tier", StringComparison.Ordinal) ? role[4] - '0' : null;

    private static string Describe(string role) => Tier(role) is { } tier ? $"Tier {tier} reviews" : "community digests";

    [GeneratedRegex(@"^(?<verb>register|unregister)\s+(?:tier\s*(?<tier>[234])|community)$", RegexOptions.IgnoreCase)]
    private static partial Regex RegisterCommand();
}
