using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FusionBot.Protocol.Authentication;

/// <summary>Checks the bot's identity settings at start, naming the key that is wrong.</summary>
public sealed class BotFrameworkOptionsValidator(IHostEnvironment environment) : IValidateOptions<BotFrameworkOptions>
{
    public ValidateOptionsResult Validate(string? name, BotFrameworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var url in options.AllowedServiceUrls)
        {
            AddIfNotAbsoluteUrl(failures, "BotFramework:AllowedServiceUrls", url);
        }

        if (!options.IsAuthenticationEnabled)
        {
            if (!AllowsUnauthenticated(environment))
            {
                failures.Add(
                    $"MicrosoftAppId is not set: the bot would accept unauthenticated requests. Refusing to start in the '{environment.EnvironmentName}' environment; set MicrosoftAppId (and its credentials), or run as Development for local work.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        var type = options.MicrosoftAppType;
        var isKnownType = type is not null &&
            (string.Equals(type, BotAppTypes.MultiTenant, StringComparison.OrdinalIgnoreCase) || options.IsSingleTenant || options.IsManagedIdentity);
        if (!isKnownType)
        {
            failures.Add($"MicrosoftAppType '{type}' is not one of {BotAppTypes.MultiTenant}, {BotAppTypes.SingleTenant}, {BotAppTypes.UserAssignedMsi}.");
        }
        else if (!options.IsManagedIdentity && string.IsNullOrWhiteSpace(options.MicrosoftAppPassword))
        {
            failures.Add($"MicrosoftAppPassword is required when MicrosoftAppType is {type}.");
        }

        if ((options.IsSingleTenant || options.IsManagedIdentity) && string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId))
        {
            failures.Add($"MicrosoftAppTenantId is required when MicrosoftAppType is {type}.");
        }

        if (options.AllowedCallers.Count > 0 && !options.IsSingleTenantIdentity)
        {
            failures.Add(
                $"BotFramework:AllowedCallers applies to {BotAppTypes.SingleTenant} and {BotAppTypes.UserAssignedMsi} bots only; a {type} bot accepts Bot Framework channel tokens alone.");
        }

        AddIfNotAbsoluteUrl(failures, "BotFramework:OpenIdMetadataUrl", options.OpenIdMetadataUrl);
        if (!string.IsNullOrWhiteSpace(options.TokenEndpoint))
        {
            AddIfNotAbsoluteUrl(failures, "BotFramework:TokenEndpoint", options.TokenEndpoint);
        }

        if (options.IsSingleTenantIdentity && options.AllowedCallers.Count > 0)
        {
            AddIfNotAbsoluteUrl(failures, "BotFramework:EntraOpenIdMetadataUrlTemplate", options.GetEntraOpenIdMetadataUrl());
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// Local development, and the benchmark run (scripts/bench.sh), which measures the bot without a Bot Framework
    /// identity. Every other environment, Staging included, must authenticate.
    /// </summary>
    public static bool AllowsUnauthenticated(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.IsDevelopment() || environment.IsEnvironment(BenchmarkEnvironment);
    }

    public const string BenchmarkEnvironment = "Benchmark";

    private static void AddIfNotAbsoluteUrl(List<string> failures, string key, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key} must be an absolute http(s) URL (got '{value}').");
        }
    }
}
