using Microsoft.Extensions.Options;

namespace FusionBot.Requests;

public sealed class RequestsOptionsValidator : IValidateOptions<RequestsOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.SettleDelay < TimeSpan.Zero
            ? ValidateOptionsResult.Fail($"{RequestsOptions.Section}:SettleDelay must not be negative, got '{options.SettleDelay}'.")
            : ValidateOptionsResult.Success;
    }
}
