using FusionBot.Features.Outbox;
using FusionBot.Requests;

namespace FusionBot.Features.Reminders;

public static class RemindersServiceCollectionExtensions
{
    /// <summary>The outbox handlers of SLA reminders, breaches and the breach's escalation messages.</summary>
    public static IServiceCollection AddFusionBotReminders(this IServiceCollection services)
    {
        services.AddSingleton<IReviewWindow>(sp => sp.GetRequiredService<SlaScheduler>());
        services.AddScoped<IOutboxHandler, SlaReminderHandler>();
        services.AddScoped<IOutboxHandler, SlaBreachHandler>();
        services.AddScoped<IOutboxHandler, SlaEscalationHandler>();
        return services;
    }
}
