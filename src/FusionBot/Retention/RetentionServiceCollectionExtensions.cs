using FusionBot.Features.Outbox;
using FusionBot.Requests;

namespace FusionBot.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>The daily purge of operational records, with its <c>Retention:*</c> options validated at start.</summary>
    public static IServiceCollection AddFusionBotRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section)
            .Validate(o => o.ProcessedActivities >= TimeSpan.FromDays(2),
                "Retention:ProcessedActivities must be at least 2.00:00:00: redeliveries within a day must still be recognised.")
            .Validate(o => o.OutboxRecords >= TimeSpan.FromDays(7), "Retention:OutboxRecords must be at least 7.00:00:00.")
            .Validate(o => o.DigestDeliveries >= TimeSpan.FromDays(7),
                "Retention:DigestDeliveries must be at least 7.00:00:00: a weekly digest is resumed and counted from them.")
            .Validate(o => o.DialogStates >= TimeSpan.FromDays(1), "Retention:DialogStates must be at least 1.00:00:00: a dialog in progress must survive a night.")
            .Validate(o => o.ComponentOpens >= TimeSpan.FromDays(7), "Retention:ComponentOpens must be at least 7.00:00:00.")
            .Validate(o => o.Requests is null || o.Requests >= TimeSpan.FromDays(30),
                "Retention:Requests must be at least 30.00:00:00 when set (requests are the audit trail; leave it unset to keep them).")
            .Validate(o => o.RunAt >= TimeSpan.Zero && o.RunAt < TimeSpan.FromDays(1), "Retention:RunAt must be a time of day (00:00:00 to 23:59:59).")
            .Validate(o => o.BatchSize is >= 1 and <= 5000, "Retention:BatchSize must be between 1 and 5000.")
            .ValidateOnStart();
        services.AddSingleton<RequestRetention>();
        services.AddScoped<IOutboxHandler, RetentionRunHandler>();
        services.AddHostedService<RetentionStartup>();
        return services;
    }
}
