using FusionBot.Features.Outbox;
using Microsoft.Extensions.Options;

namespace FusionBot.Requests;

public static class RequestsServiceCollectionExtensions
{
    /// <summary>The request lifecycle: the workflow that applies transitions, the outbox item that settles them after a crash, and the questions a request's answers are read and shown by.</summary>
    public static IServiceCollection AddFusionBotRequests(this IServiceCollection services)
    {
        services.AddOptions<RequestsOptions>().BindConfiguration(RequestsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RequestsOptions>, RequestsOptionsValidator>();
        services.AddSingleton<IntakeQuestions>();
        services.AddSingleton<RequestWorkflow>();
        services.AddSingleton<WaitingForChannel>();
        services.AddSingleton<ReviewRouting>();
        services.AddSingleton<NotificationFailures>();
        services.AddSingleton<SolutionLinks>();
        services.AddScoped<IOutboxHandler, RequestSettleHandler>();
        return services;
    }
}
