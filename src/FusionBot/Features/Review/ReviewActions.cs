using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Protocol.Hosting;
using FusionBot.Protocol.Models;

namespace FusionBot.Features.Review;

/// <summary>Where review card clicks come in: the Action.Execute invoke, or the Action.Submit fallback (a channel message whose value has a verb).</summary>
public sealed class ReviewActions(ReviewDecisions decisions)
{
    /// <summary>Answers the invoke when it is a review verb; null when the action belongs to someone else.</summary>
    public async Task<InvokeResponse?> OnInvokeAsync(TurnContext turn, CardActionInvoke action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(action);
        if (!ReviewVerbs.IsReviewVerb(action.Verb))
        {
            return null;
        }

        var answer = action.Verb == ReviewVerbs.Refresh
            ? await decisions.ViewAsync(turn, action.Data, cancellationToken)
            : await decisions.DecideAsync(turn, action.Verb, action.Data, cancellationToken);
        return answer.ToAdaptiveCardResponse().ToInvokeResponse();
    }

    /// <summary>Handles a fallback submit; false when the message is not a review click. The card itself is updated through the outbox.</summary>
    public async Task<bool> OnSubmitAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.Activity.Value is not JsonObject value || value[CardActions.VerbKey] is not JsonValue verbNode
            || !verbNode.TryGetValue<string>(out var verb) || !ReviewVerbs.IsReviewVerb(verb))
        {
            return false;
        }

        if (verb == ReviewVerbs.Refresh)
        {
            return true; // Teams refreshes cards by invoke only; a submitted refresh has nothing to do.
        }

        var answer = await decisions.DecideAsync(turn, verb, value, cancellationToken);
        if ((answer.ErrorMessage ?? answer.Notice) is { } text)
        {
            await turn.SendTextAsync(text, cancellationToken);
        }

        return true;
    }
}
