using FusionBot.Features.Access;
using FusionBot.Protocol.Authentication;
using Microsoft.Graph;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions.Authentication;

namespace FusionBot.Graph;

public static class GraphServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Graph client, group membership, online meetings and the channel post lookup, only when Graph can be used (the bot has an
    /// app id, or <c>Graph:BaseUrl</c> is set): without them AccessPolicy knows ids only and scheduling says Graph is off.
    /// </summary>
    public static IServiceCollection AddFusionBotGraph(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GraphOptions>, GraphOptionsValidator>();
        var usable = !string.IsNullOrWhiteSpace(configuration["MicrosoftAppId"] ?? configuration[$"{BotFrameworkOptions.SectionName}:MicrosoftAppId"])
            || !string.IsNullOrWhiteSpace(configuration[$"{GraphOptions.Section}:BaseUrl"]);
        if (!usable)
        {
            return services;
        }

        services.AddHttpClient(GraphTokenProvider.HttpClientName);
        services.AddHttpClient(nameof(GraphServiceClient), (sp, client) =>
            // No retrying middleware: a card action has a few seconds, so a failure is reported rather than waited out.
            client.Timeout = sp.GetRequiredService<IOptions<GraphOptions>>().Value.Timeout);
        services.AddSingleton<GraphTokenProvider>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GraphOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(GraphServiceClient));
            return new GraphServiceClient(http, new BaseBearerTokenAuthenticationProvider(sp.GetRequiredService<GraphTokenProvider>()), options.EffectiveBaseUrl);
        });
        services.AddSingleton<IGroupMembership, GraphGroupMembership>();
        services.AddSingleton<OnlineMeetings>();
        services.AddSingleton<ChannelPosts>();
        return services;
    }
}
