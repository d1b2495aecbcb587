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
            return options.AllowedCallers.Count > 0 || !string.IsNullOrWhiteSpace(options.TenantId)
                ? ValidateOptionsResult.Fail($"{Section}:HostUrl is required when {Section}:TenantId or {Section}:AllowedCallers is set.")
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

        if (options.AllowedCallers.Count == 0 || options.AllowedCallers.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{Section}:AllowedCallers must list the app id(s) the pipelines host calls with; the gate is never anonymous.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
