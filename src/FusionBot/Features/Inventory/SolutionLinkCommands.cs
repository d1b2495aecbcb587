using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;

namespace FusionBot.Features.Inventory;

/// <summary><c>link FR-000123 &lt;address or id&gt;</c>: the maker (or a CoE admin) says which solution a request stands for.</summary>
public sealed class SolutionLinkCommands(SolutionLinks links)
{
    /// <param name="argument">The request id, then what the maker pasted (see <see cref="SolutionLinkText"/>).</param>
    public async Task LinkAsync(TurnContext turn, string argument, CancellationToken cancellationToken)
    {
        var parts = argument.Split(' ', 2, StringSplitOptions.TrimEntries);
        var requestId = parts[0];
        var link = SolutionLinkText.Parse(parts.Length > 1 ? parts[1] : null, out var problem);
        if (link is null)
        {
            await turn.SendTextAsync($"To link {requestId} to its solution: {problem}", cancellationToken);
            return;
        }

        var outcome = await links.LinkAsync(turn.TenantId(), requestId, link, turn.Sender(), cancellationToken);
        var text = outcome.Result switch
        {
            LinkResult.Linked => $"Linked: {requestId} is {CardText.EscapeLine(SolutionLinks.Describe(link))}. I'll recognise it when I take stock of the tenant.",
            LinkResult.AlreadyLinked => $"{requestId} is already linked to {CardText.EscapeLine(SolutionLinks.Describe(link))}.",
            LinkResult.LinkedToAnotherRequest => $"That {link.Kind.ToString().ToLowerInvariant()} is already linked to {outcome.OtherRequestId}; a solution stands for one request.",
            // Someone else's request reads as unknown: ids are guessable and requests are not public.
            _ => $"I can't find {CardText.EscapeLine(requestId)} among your requests. Type **my requests** to see them.",
        };
        await turn.SendTextAsync(text, cancellationToken);
    }
}
