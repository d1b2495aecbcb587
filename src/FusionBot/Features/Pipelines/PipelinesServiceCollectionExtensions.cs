using FusionBot.Features.Outbox;
using FusionBot.Integrations;
using FusionBot.Requests;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Pipelines;

public static class PipelinesServiceCollectionExtensions
{
    /// <summary>The Power Platform pipelines gate: its endpoint's callers, the host's Dataverse, the promotion card, and their outbox handlers.</summary>
    public static IServiceCollection AddFusionBotPipelines(this IServiceCollection services)
    {
        services.AddOptions<PipelinesOptions>().BindConfiguration(PipelinesOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelinesOptions>, PipelinesOptionsValidator>();
        services.AddHttpClient(AppTokens.HttpClientName);
        services.AddHttpClient(PipelinesHostClient.HttpClientName);
        services.AddHttpClient(PipelineCallers.MetadataHttpClientName);
        services.TryAddSingleton<AppTokens>();
        services.AddSingleton<PipelineCallers>();
        services.AddSingleton<PipelineSignatures>();
        services.AddSingleton<PipelinesHostClient>();
        services.AddSingleton<DeploymentGates>();
        services.AddSingleton<IRequestRecords>(sp => sp.GetRequiredService<DeploymentGates>());
        services.AddSingleton<PromotionActions>();
        services.AddScoped<IOutboxHandler, PipelineGateHandler>();
        services.AddScoped<IOutboxHandler, PipelineAnswerHandler>();
        services.AddScoped<IOutboxHandler, PromotionCardPost>();
        services.AddScoped<IOutboxHandler, PromotionCardUpdate>();
        services.AddScoped<IOutboxHandler, PromotionTimeoutHandler>();
        return services;
    }
}
