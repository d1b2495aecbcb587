using FusionBot.Features.Outbox;
using FusionBot.Requests;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Sla;

public static class SlaServiceCollectionExtensions
{
    /// <summary>
    /// The <c>Sla</c> section (bound and validated at startup), the clock, the scheduler of a review window's points,
    /// and the outbox handlers that carry them out: reminders, the breach and its escalation messages.
    /// </summary>
    public static IServiceCollection AddFusionBotSla(this IServiceCollection services)
    {
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlaOptions>>(sp =>
            new SlaOptionsValidator(sp.GetRequiredService<IOptions<OutboxOptions>>().Value.SweepInterval));
        services.AddSingleton<SlaClock>();
        services.AddSingleton<SlaScheduler>();
        services.AddSingleton<IReviewWindow>(sp => sp.GetRequiredService<SlaScheduler>());
        services.AddScoped<IOutboxHandler, SlaReminderHandler>();
        services.AddScoped<IOutboxHandler, SlaBreachHandler>();
        services.AddScoped<IOutboxHandler, SlaEscalationHandler>();
        return services;
    }
}
