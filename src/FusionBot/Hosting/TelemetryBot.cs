using System.Diagnostics;
using Activity = FusionBot.Protocol.Models.Activity;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FusionBot.Cards;
using FusionBot.Features.Chat;
using FusionBot.Protocol.Hosting;
using FusionBot.Protocol.Models;

namespace FusionBot.Hosting;

/// <summary>
/// Wraps the bot in a span and the turn metrics. What it records is read from the activity's shape only: its type,
/// the command the text names (not the text), the card verb when it is a plain word; ids, names and text never.
/// </summary>
public sealed partial class TelemetryBot(IBot inner) : IBot
{
    private static readonly HashSet<string> KnownTypes =
    [
        ActivityTypes.Message, ActivityTypes.Invoke, ActivityTypes.ConversationUpdate, ActivityTypes.InstallationUpdate,
        ActivityTypes.MessageReaction, ActivityTypes.MessageUpdate, ActivityTypes.MessageDelete, ActivityTypes.Typing, ActivityTypes.Event,
    ];

    public async Task<InvokeResponse?> OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        var type = activity.Type is { } t && KnownTypes.Contains(t) ? t : "other";
        var command = CommandOf(activity);
        using var span = FusionBotTelemetry.Source.StartActivity(FusionBotTelemetry.TurnSpanPrefix + type);
        span?.SetTag("fusionbot.activity.type", type);
        span?.SetTag("fusionbot.command", command);
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var response = await inner.OnTurnAsync(turn, cancellationToken);
            outcome = OutcomeOf(response);
            return response;
        }
        catch (Exception exception)
        {
            FusionBotTelemetry.Failed("turn", exception);
            span?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            span?.SetTag("error.type", exception.GetType().Name);
            throw;
        }
        finally
        {
            span?.SetTag("fusionbot.outcome", outcome);
            var tags = new TagList { { "fusionbot.activity.type", type }, { "fusionbot.command", command }, { "fusionbot.outcome", outcome } };
            FusionBotTelemetry.Turns.Add(1, tags);
            if (type == ActivityTypes.Invoke)
            {
                FusionBotTelemetry.InvokeDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }

    /// <summary>The command or card verb, from a fixed vocabulary: never the typed text itself.</summary>
    internal static string CommandOf(Activity activity)
    {
        if (activity.Type == ActivityTypes.Invoke)
        {
            return activity.Name == InvokeNames.AdaptiveCardAction ? Word(VerbOf(activity.Value)) : "other";
        }

        if (activity.Type != ActivityTypes.Message)
        {
            return "none";
        }

        if (string.IsNullOrWhiteSpace(activity.Text))
        {
            return activity.Value is JsonObject value ? "submit:" + Word(StringOf(value[CardActions.VerbKey])) : "none";
        }

        var name = Command.Parse(activity.Text).Name;
        return name == CommandName.None ? "text" : name.ToString().ToLowerInvariant();
    }

    // Any shape may arrive: only an object with an action object holding a string verb names one.
    private static string? VerbOf(JsonNode? value) =>
        value is JsonObject invoke && invoke["action"] is JsonObject action ? StringOf(action["verb"]) : null;

    private static string? StringOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Verbs are the bot's own words ("review.approve"); anything else a client sends is reported as "other".</summary>
    private static string Word(string? verb) => verb switch
    {
        null => "none",
        { Length: <= 40 } when VerbPattern().IsMatch(verb) => verb,
        _ => "other",
    };

    private static string OutcomeOf(InvokeResponse? response)
    {
        if (response is null)
        {
            return "ok";
        }

        var status = response.Body?["statusCode"] is JsonValue code && code.TryGetValue<int>(out var inner) ? inner : response.Status;
        return status switch
        {
            < 400 => "ok",
            < 500 => "refused",
            _ => "error",
        };
    }

    [GeneratedRegex("^[a-z][a-z0-9]*([.-][a-z0-9]+)*$")]
    private static partial Regex VerbPattern();
}
