using FusionBot.Requests;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Backlog;

/// <summary>A backlog without a project, tenant or hook password, or with a state for a status that does not exist, is refused at start.</summary>
public sealed class BacklogOptionsValidator : IValidateOptions<BacklogOptions>
{
    private const string Section = BacklogOptions.Section;
    private const int MinPasswordLength = 16;

    public ValidateOptionsResult Validate(string? name, BacklogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Project) || string.IsNullOrWhiteSpace(options.WorkItemType))
        {
            failures.Add($"{Section}:Project and {Section}:WorkItemType are required with {Section}:Organization.");
        }

        if (!Guid.TryParse(options.TenantId, out _))
        {
            failures.Add($"{Section}:TenantId must be the Entra tenant id (a GUID) whose requests go to this backlog.");
        }

        if (options.ServiceHookPassword is not { Length: >= MinPasswordLength })
        {
            failures.Add($"{Section}:ServiceHookPassword must be at least {MinPasswordLength} characters: the service hook is never anonymous.");
        }

        if (!options.BaseUrl.IsAbsoluteUri || (options.BaseUrl.Scheme != Uri.UriSchemeHttps && !options.BaseUrl.IsLoopback))
        {
            failures.Add($"{Section}:BaseUrl must be an absolute https address, got '{options.BaseUrl}'.");
        }

        failures.AddRange(options.States.Where(s => !Enum.TryParse<RequestStatus>(s.Status, ignoreCase: true, out _) || string.IsNullOrWhiteSpace(s.State))
            .Select(s => $"{Section}:States: '{s.Status}' must name a request status ({string.Join(", ", Enum.GetNames<RequestStatus>())}) with a work item State."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
