using Microsoft.Extensions.Options;

namespace FusionBot.Links;

public static class LinksServiceCollectionExtensions
{
    /// <summary>Signed links to the bot's own endpoints (<c>Links</c> section), validated at start.</summary>
    public static IServiceCollection AddFusionBotLinks(this IServiceCollection services)
    {
        services.AddOptions<LinkOptions>().BindConfiguration(LinkOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LinkOptions>, LinkOptionsValidator>();
        services.AddHttpContextAccessor();
        services.AddSingleton<SignedLinks>();
        return services;
    }
}
