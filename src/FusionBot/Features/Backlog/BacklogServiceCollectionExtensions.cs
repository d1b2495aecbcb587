using FusionBot.Features.Outbox;
using FusionBot.Integrations;
using FusionBot.Requests;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Backlog;

public static class BacklogServiceCollectionExtensions
{
    /// <summary>The shared backlog: Azure DevOps work items for Tier 3/4 requests, kept in step both ways.</summary>
    public static IServiceCollection AddFusionBotBacklog(this IServiceCollection services)
    {
        services.AddOptions<BacklogOptions>().BindConfiguration(BacklogOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BacklogOptions>, BacklogOptionsValidator>();
        services.AddHttpClient(AppTokens.HttpClientName);
        services.AddHttpClient(AzureDevOpsBacklog.HttpClientName);
        services.TryAddSingleton<AppTokens>();
        services.AddSingleton<IBacklog, AzureDevOpsBacklog>();
        services.AddSingleton<BacklogIndex>();
        services.AddSingleton<IRequestRecords>(sp => sp.GetRequiredService<BacklogIndex>());
        services.AddSingleton<IRequestFollowUps, BacklogFollowUps>();
        services.AddScoped<IOutboxHandler, BacklogItemCreate>();
        services.AddScoped<IOutboxHandler, BacklogItemFollow>();
        return services;
    }
}
