using Microsoft.Extensions.Options;

namespace FusionBot.PowerPlatform;

/// <summary>Addresses that can be called, a tenant that is a GUID, limits that make sense; each failure names the key.</summary>
public sealed class PowerPlatformOptionsValidator : IValidateOptions<PowerPlatformOptions>
{
    private const string Section = PowerPlatformOptions.Section;

    public ValidateOptionsResult Validate(string? name, PowerPlatformOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Enabled && !Guid.TryParse(options.TenantId, out _))
        {
            failures.Add($"{Section}:TenantId '{options.TenantId}' must be the Entra tenant id (a GUID).");
        }

        foreach (var (key, url) in new[] { ("BapUrl", options.BapUrl), ("PowerAppsUrl", options.PowerAppsUrl), ("FlowUrl", options.FlowUrl) })
        {
            if (url is null || !url.IsAbsoluteUri || url.Scheme is not ("https" or "http"))
            {
                failures.Add($"{Section}:{key} must be an absolute http(s) URL.");
            }
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{Section}:MaxAttempts must be 1 to 10, got {options.MaxAttempts}.");
        }

        if (options.SyncAt < TimeSpan.Zero || options.SyncAt >= TimeSpan.FromDays(1))
        {
            failures.Add($"{Section}:SyncAt must be a time of day (00:00 to 23:59), got '{options.SyncAt}'.");
        }

        if (options.FlagSharedWith < 1 || options.ReviewWhenSharedWith < 1)
        {
            failures.Add($"{Section}:FlagSharedWith and {Section}:ReviewWhenSharedWith must be positive.");
        }

        if (options.GracePeriod < TimeSpan.Zero || options.MaxRetryAfter <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:GracePeriod must not be negative and {Section}:MaxRetryAfter must be positive.");
        }

        if (options.InstallWait <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:InstallWait must be positive, got '{options.InstallWait}'.");
        }

        if (options.OwnerReminderAfter < TimeSpan.Zero || options.OwnerEscalationAfter < options.OwnerReminderAfter)
        {
            failures.Add($"{Section}:OwnerReminderAfter must not be negative and {Section}:OwnerEscalationAfter must not come before it, got '{options.OwnerReminderAfter}' and '{options.OwnerEscalationAfter}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
