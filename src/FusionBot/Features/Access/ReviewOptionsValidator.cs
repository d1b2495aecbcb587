using Microsoft.Extensions.Options;

namespace FusionBot.Features.Access;

public sealed class ReviewOptionsValidator : IValidateOptions<ReviewOptions>
{
    public ValidateOptionsResult Validate(string? name, ReviewOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MembershipCacheDuration < TimeSpan.Zero
            ? ValidateOptionsResult.Fail($"{ReviewOptions.Section}:MembershipCacheDuration must not be negative, got '{options.MembershipCacheDuration}'.")
            : ValidateOptionsResult.Success;
    }
}
