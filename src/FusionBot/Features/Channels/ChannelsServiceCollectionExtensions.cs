using FusionBot.Features.Outbox;

namespace FusionBot.Features.Channels;

public static class ChannelsServiceCollectionExtensions
{
    /// <summary>The commands that register a channel for reviews and answer in it; the CoE admins told when a tier has none.</summary>
    public static IServiceCollection AddFusionBotChannels(this IServiceCollection services)
    {
        services.AddSingleton<ChannelCommands>();
        services.AddScoped<IOutboxHandler, WaitingForChannelAdminNotice>();
        services.AddScoped<IOutboxHandler, WaitingForChannelAdminMessage>();
        return services;
    }
}
