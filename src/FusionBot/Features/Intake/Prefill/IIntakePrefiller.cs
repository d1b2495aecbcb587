using FusionBot.Requests;

namespace FusionBot.Features.Intake.Prefill;

/// <summary>Suggests intake answers from a maker's own description. Suggestions only: the maker confirms each, rules set the tier.</summary>
public interface IIntakePrefiller
{
    /// <returns>The answers it could read, or null when it could not help (no model, timeout, failure).</returns>
    Task<IntakeAnswers?> SuggestAsync(string description, CancellationToken cancellationToken);
}
