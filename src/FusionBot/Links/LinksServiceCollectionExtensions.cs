namespace FusionBot.Links;

public static class LinksServiceCollectionExtensions
{
    /// <summary>Signed links to the bot's own endpoints (<c>Links</c> section), validated at start.</summary>
    public static IServiceCollection AddFusionBotLinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LinkOptions>().Bind(configuration.GetSection(LinkOptions.Section))
            .Validate(o => string.IsNullOrWhiteSpace(o.SigningKey) || o.SigningKeyBytes() is not null,
                "Links:SigningKey must be base64 of at least 32 bytes.")
            .Validate(o => o.PublicBaseUrl is null || (o.PublicBaseUrl.IsAbsoluteUri && o.PublicBaseUrl.Scheme == Uri.UriSchemeHttps),
                "Links:PublicBaseUrl must be an absolute https address.")
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddSingleton<SignedLinks>();
        return services;
    }
}
