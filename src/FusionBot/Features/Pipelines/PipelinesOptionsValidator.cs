using Microsoft.Extensions.Options;

namespace FusionBot.Features.Pipelines;

/// <summary>A gate that anyone could call, or that answers a host nobody named, is refused at start.</summary>
public sealed class PipelinesOptionsValidator : IValidateOptions<PipelinesOptions>
{
    private const string Section = PipelinesOptions.Section;

    public ValidateOptionsResult Validate(string? name, PipelinesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsConfigured)
        {
            return options.AllowedCallers.Count > 0 || !string.IsNullOrWhiteSpace(options.TenantId) || !string.IsNullOrEmpty(options.WebhookSecret)
                ? ValidateOptionsResult.Fail($"{Section}:HostUrl is required when {Section}:TenantId, {Section}:AllowedCallers or {Section}:WebhookSecret is set.")
                : ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.HostUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback))
        {
            failures.Add($"{Section}:HostUrl must be the https address of the pipelines host environment, got '{options.HostUrl}'.");
        }

        if (!Guid.TryParse(options.TenantId, out _))
        {
            failures.Add($"{Section}:TenantId must be the Entra tenant id (a GUID) of the pipelines host.");
        }

        if (options.AllowedCallers.Any(string.IsNullOrWhiteSpace)
            || (options.AllowedCallers.Count == 0 && string.IsNullOrEmpty(options.WebhookSecret)))
        {
            failures.Add($"{Section}:AllowedCallers must list the app id(s) the pipelines host calls with, or {Section}:WebhookSecret be set for "
                + "signed calls; the gate is never anonymous.");
        }

        if (options.WebhookSecret is { Length: > 0 and < PipelineSignatures.MinSecretLength })
        {
            failures.Add($"{Section}:WebhookSecret must be at least {PipelineSignatures.MinSecretLength} characters.");
        }

        if (options.PromotionTimeout < TimeSpan.FromMinutes(1))
        {
            failures.Add($"{Section}:PromotionTimeout must be at least a minute, got {options.PromotionTimeout}.");
        }

        if (!Enum.IsDefined(options.PromotionTimeoutAnswer))
        {
            failures.Add($"{Section}:PromotionTimeoutAnswer must be Reject or Proceed.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
