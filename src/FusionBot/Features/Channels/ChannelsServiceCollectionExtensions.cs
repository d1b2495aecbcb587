namespace FusionBot.Features.Channels;

public static class ChannelsServiceCollectionExtensions
{
    /// <summary>The commands that register a channel for reviews and answer in it.</summary>
    public static IServiceCollection AddFusionBotChannels(this IServiceCollection services)
    {
        services.AddSingleton<ChannelCommands>();
        return services;
    }
}
