using Microsoft.Extensions.Options;

namespace FusionBot.Features.Outbox;

public static class OutboxServiceCollectionExtensions
{
    public static IServiceCollection AddFusionBotOutbox(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<WorkOutbox>();
        services.AddSingleton<OutboxWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxWorker>());
        return services;
    }
}
