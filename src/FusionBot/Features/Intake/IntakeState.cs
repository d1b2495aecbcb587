using System.Collections.Immutable;
using FusionBot.Requests;

namespace FusionBot.Features.Intake;

/// <summary>Where a maker is in the intake dialog; stored per conversation so any instance can continue it.</summary>
public sealed record IntakeState
{
    public const string SummaryStep = "summary";
    public const string ChooseEditStep = "edit";

    /// <summary>Waiting for the maker's own description, from which the model suggests answers.</summary>
    public const string DescribeStep = "describe";

    /// <summary>The question being asked, or one of the named steps.</summary>
    public required string Step { get; init; }

    public IntakeAnswers Answers { get; init; } = new();

    /// <summary>Questions answered so far, in order: what <c>back</c> walks.</summary>
    public ImmutableList<string> Answered { get; init; } = [];

    /// <summary>True while one answer is changed from the summary: the next answer returns to the summary.</summary>
    public bool Editing { get; init; }

    /// <summary>Answers pre-filled from the maker's description; each is shown for the maker to confirm or change.</summary>
    public IntakeAnswers? Suggested { get; init; }

    /// <summary>The request this dialog re-opens after "changes requested", if any.</summary>
    public string? ResubmitOf { get; init; }

    /// <summary>The activity that moved the dialog here: delivered again, it shows this step again rather than answering it.</summary>
    public string? LastActivityId { get; init; }

    /// <summary>The id the confirmed request is stored under, fixed before it is stored so that confirming again finds it.</summary>
    public string? SubmittedAs { get; init; }

    /// <summary>The question card on screen, replaced by a one-line record once the dialog moves past it.</summary>
    public ShownQuestionCard? ShownCard { get; init; }

    /// <summary>The solution found in the tenant that this intake registers: linked to the request when it is submitted.</summary>
    public SolutionLink? LinkTo { get; init; }
}

/// <param name="ActivityId">The card's message, as the connector answered when it was sent.</param>
/// <param name="Step">The question it asks.</param>
public sealed record ShownQuestionCard(string ActivityId, string Step);
