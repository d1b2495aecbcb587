using System.Text.Json.Nodes;
using FusionBot.Protocol.Hosting;
using FusionBot.Protocol.Models;

namespace FusionBot.Features.Intake;

/// <summary>
/// Answers the Teams dialog of the intake form: <c>task/fetch</c> shows the form; <c>task/submit</c> reads it with the
/// chat's own dialog, and either shows the form again with what needs changing or closes it and puts the summary in
/// the chat, where the maker confirms it as after the last typed answer.
/// </summary>
public sealed class IntakeFormDialog(IntakeForm intakeForm, IntakeHandler intake)
{
    /// <summary>True when an invoke's value comes from a button or card of the intake form: <c>{data: {intakeForm: …}}</c>.</summary>
    public static bool Owns(JsonNode? value) => value is JsonObject { } body && body["data"] is JsonObject data && data[IntakeForm.FormKey] is not null;

    public async Task<InvokeResponse> FetchAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var (dialog, _) = await intake.ForTenantAsync(turn, cancellationToken);
        return new(200, IntakeForm.Continue(intakeForm.For(dialog.Questions).Card()));
    }

    public async Task<InvokeResponse> SubmitAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var (dialog, _) = await intake.ForTenantAsync(turn, cancellationToken);
        var form = intakeForm.For(dialog.Questions);
        var values = Values(turn.Activity.Value?["data"] as JsonObject);
        var result = dialog.SubmitForm(values);
        if (result.Summary is not { } summary)
        {
            return new(200, IntakeForm.Continue(form.Card(values, result.Problems)));
        }

        await intake.ShowSummaryAsync(turn, summary, cancellationToken);
        return new(200, IntakeForm.Message("Thank you. Your request and its tier are in our chat: confirm it there."));
    }

    /// <summary>The form's inputs, by id; a value that is not text (the card can be forged) counts as not answered.</summary>
    private static Dictionary<string, string> Values(JsonObject? data) => data is null
        ? []
        : data.Where(p => p.Value is JsonValue value && value.TryGetValue<string>(out _))
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
}
