using Microsoft.Extensions.Options;

namespace FusionBot.Features.Intake;

public sealed class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxRequestsPerDay > 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{IntakeOptions.Section}:MaxRequestsPerDay must be at least 1, got {options.MaxRequestsPerDay}.");
    }
}
