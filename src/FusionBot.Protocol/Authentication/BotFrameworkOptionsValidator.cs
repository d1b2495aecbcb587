using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FusionBot.Protocol.Authentication;

/// <summary>Checks the bot's identity settings at start, naming the key that is wrong.</summary>
public sealed class BotFrameworkOptionsValidator(IHostEnvironment environment) : IValidateOptions<BotFrameworkOptions>
{
    public ValidateOptionsResult Validate(string? name, BotFrameworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsAuthenticationEnabled)
        {
            return environment.IsProduction()
                ? ValidateOptionsResult.Fail(
                    "MicrosoftAppId is not set: the bot would accept unauthenticated requests. Refusing to start in Production; set MicrosoftAppId (and its credentials) or use another environment for local development.")
                : ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
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

        AddIfNotAbsoluteUrl(failures, "BotFramework:OpenIdMetadataUrl", options.OpenIdMetadataUrl);
        if (!string.IsNullOrWhiteSpace(options.TokenEndpoint))
        {
            AddIfNotAbsoluteUrl(failures, "BotFramework:TokenEndpoint", options.TokenEndpoint);
        }

        if (options.IsSingleTenant)
        {
            AddIfNotAbsoluteUrl(failures, "BotFramework:EntraOpenIdMetadataUrlTemplate", options.GetEntraOpenIdMetadataUrl());
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddIfNotAbsoluteUrl(List<string> failures, string key, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key} must be an absolute http(s) URL (got '{value}').");
        }
    }
}
