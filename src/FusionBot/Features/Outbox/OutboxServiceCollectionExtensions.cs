namespace FusionBot.Features.Outbox;

public static class OutboxServiceCollectionExtensions
{
    public static IServiceCollection AddFusionBotOutbox(this IServiceCollection services)
    {
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<WorkOutbox>();
        services.AddSingleton<OutboxWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxWorker>());
        return services;
    }
}
