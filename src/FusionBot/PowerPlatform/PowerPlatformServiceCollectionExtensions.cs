using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace FusionBot.PowerPlatform;

public static class PowerPlatformServiceCollectionExtensions
{
    /// <summary>
    /// The Power Platform admin client, when <c>Platform:TenantId</c> is set: app-only tokens from the app registration's
    /// secret (<c>Platform:ClientSecret</c> with <c>Platform:ClientId</c>) or else from the managed identity.
    /// </summary>
    public static IServiceCollection AddFusionBotPowerPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PowerPlatformOptions>().BindConfiguration(PowerPlatformOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PowerPlatformOptions>, PowerPlatformOptionsValidator>();
        if (string.IsNullOrWhiteSpace(configuration[$"{PowerPlatformOptions.Section}:TenantId"]))
        {
            return services;
        }

        services.AddHttpClient(nameof(PowerPlatformClient));
        services.AddSingleton<TokenCredential>(sp => CreateCredential(sp.GetRequiredService<IOptions<PowerPlatformOptions>>().Value));
        services.AddSingleton(sp => new PowerPlatformClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(PowerPlatformClient)),
            sp.GetRequiredService<TokenCredential>(),
            sp.GetRequiredService<IOptions<PowerPlatformOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PowerPlatformClient>>()));
        return services;
    }

    private static TokenCredential CreateCredential(PowerPlatformOptions options) =>
        !string.IsNullOrWhiteSpace(options.ClientSecret) && !string.IsNullOrWhiteSpace(options.ClientId)
            ? new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret)
            : string.IsNullOrWhiteSpace(options.ClientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId));
}
