using FusionBot.Features.Classification;
using FusionBot.Requests;

using TierResult = FusionBot.Features.Classification.Classification;

namespace FusionBot.Features.Intake;

/// <summary>What the dialog wants said next, and the state to store (<see cref="IntakeConfirmed"/> ends the dialog).</summary>
public abstract record IntakeOutcome(IntakeState State);

/// <summary>Ask <see cref="Question"/>, after <see cref="Problem"/> when the last answer was not accepted.</summary>
public sealed record AskQuestion(IntakeState State, IntakeQuestion Question, string? Problem, string? Suggestion) : IntakeOutcome(State)
{
    /// <summary>The connectors' standing where the solution will live, so the card leaves out those blocked there.</summary>
    public ConnectorCatalogue? Connectors { get; init; }
}

/// <summary>Show every answer with the tier and its reasons, and offer confirm / edit / cancel.</summary>
public sealed record ShowSummary(IntakeState State, TierResult Classification, string? Problem) : IntakeOutcome(State);

/// <summary>Ask which answer to change.</summary>
public sealed record ChooseAnswerToEdit(IntakeState State, string? Problem) : IntakeOutcome(State);

/// <summary>The maker confirmed: store the request.</summary>
public sealed record IntakeConfirmed(IntakeState State, TierResult Classification) : IntakeOutcome(State);

/// <summary>The intake form read: the summary to show when every answer was accepted, else why not, by question key.</summary>
public sealed record IntakeFormResult(ShowSummary? Summary, IReadOnlyDictionary<string, string> Problems);
