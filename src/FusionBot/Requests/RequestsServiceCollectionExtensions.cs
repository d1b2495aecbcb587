using FusionBot.Features.Outbox;

namespace FusionBot.Requests;

public static class RequestsServiceCollectionExtensions
{
    /// <summary>The request lifecycle: the workflow that applies transitions and the outbox item that settles them after a crash.</summary>
    public static IServiceCollection AddFusionBotRequests(this IServiceCollection services)
    {
        services.AddOptions<RequestsOptions>().BindConfiguration(RequestsOptions.Section)
            .Validate(o => o.SettleDelay >= TimeSpan.Zero, "Requests:SettleDelay must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<RequestWorkflow>();
        services.AddSingleton<WaitingForChannel>();
        services.AddSingleton<ReviewRouting>();
        services.AddSingleton<NotificationFailures>();
        services.AddScoped<IOutboxHandler, RequestSettleHandler>();
        return services;
    }
}
