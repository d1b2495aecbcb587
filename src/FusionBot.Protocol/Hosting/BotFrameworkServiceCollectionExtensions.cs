using FusionBot.Protocol.Authentication;
using FusionBot.Protocol.Connector;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FusionBot.Protocol.Hosting;

public static class BotFrameworkServiceCollectionExtensions
{
    /// <summary>
    /// Registers the bot's identity options (validated at start), inbound token validation, the outbound token provider
    /// and <see cref="ConnectorClient"/>. The application registers its own <see cref="IBot"/>.
    /// </summary>
    public static IServiceCollection AddBotFramework(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<BotFrameworkOptions>()
            .Configure(options =>
            {
                configuration.GetSection(BotFrameworkOptions.SectionName).Bind(options);
                options.MicrosoftAppId = configuration[nameof(BotFrameworkOptions.MicrosoftAppId)] ?? options.MicrosoftAppId;
                options.MicrosoftAppPassword = configuration[nameof(BotFrameworkOptions.MicrosoftAppPassword)] ?? options.MicrosoftAppPassword;
                options.MicrosoftAppTenantId = configuration[nameof(BotFrameworkOptions.MicrosoftAppTenantId)] ?? options.MicrosoftAppTenantId;
                options.MicrosoftAppType = configuration[nameof(BotFrameworkOptions.MicrosoftAppType)] is { Length: > 0 } type ? type : options.MicrosoftAppType;

                // An empty setting (BotFramework__AllowedTenants__0=) must not turn a list on with a blank entry.
                foreach (var list in new[] { options.AllowedCallers, options.AllowedServiceUrls, options.AllowedTenants })
                {
                    foreach (var blank in list.Where(string.IsNullOrWhiteSpace).ToList())
                    {
                        list.Remove(blank);
                    }
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotFrameworkOptions>, BotFrameworkOptionsValidator>());
        services.AddOptions<ConnectorClientOptions>().Bind(configuration.GetSection($"{BotFrameworkOptions.SectionName}:Connector"));

        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(BotRequestAuthenticator.MetadataHttpClientName);
        services.AddHttpClient(ClientCredentialsTokenSource.HttpClientName);
        services.TryAddSingleton<BotRequestAuthenticator>();
        services.TryAddSingleton<IBotTokenProvider>(CreateTokenProvider);
        services.AddHttpClient<ConnectorClient>();
        return services;
    }

    private static IBotTokenProvider CreateTokenProvider(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<BotFrameworkOptions>>();
        if (!options.Value.IsAuthenticationEnabled)
        {
            return new AnonymousBotTokenProvider();
        }

        IBotTokenSource source = options.Value.IsManagedIdentity
            ? new ManagedIdentityTokenSource(options)
            : new ClientCredentialsTokenSource(services.GetRequiredService<IHttpClientFactory>(), options, services.GetRequiredService<TimeProvider>());
        return new CachingBotTokenProvider(source, services.GetRequiredService<TimeProvider>());
    }
}
