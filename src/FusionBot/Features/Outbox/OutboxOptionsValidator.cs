using Microsoft.Extensions.Options;

namespace FusionBot.Features.Outbox;

/// <summary>Rejects outbox settings the worker cannot run with; each failure names the key.</summary>
public sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public const int MaxConcurrency = 64;
    public static readonly TimeSpan MinLease = TimeSpan.FromSeconds(1);

    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        var failures = new List<string>();
        if (options.SweepInterval <= TimeSpan.Zero)
        {
            failures.Add($"{OutboxOptions.Section}:SweepInterval must be positive, got '{options.SweepInterval}'.");
        }

        // Renewed every third of the lease: below a second, one slow storage call would lose it.
        if (options.Lease < MinLease)
        {
            failures.Add($"{OutboxOptions.Section}:Lease must be at least {MinLease}, got '{options.Lease}'.");
        }

        if (options.Concurrency is < 1 or > MaxConcurrency)
        {
            failures.Add($"{OutboxOptions.Section}:Concurrency must be between 1 and {MaxConcurrency}, got {options.Concurrency}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
