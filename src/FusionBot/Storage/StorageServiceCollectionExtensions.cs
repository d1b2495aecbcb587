using Azure.Data.Tables;
using Azure.Identity;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FusionBot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers every store over Azure Table Storage (Storage:ConnectionString, or Storage:TableServiceUri with
    /// DefaultAzureCredential) or, when neither is set, over the embedded SQLite file (Storage:EmbeddedPath).
    /// </summary>
    public static IServiceCollection AddFusionBotStorage(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = StorageOptions.Read(configuration, environment);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ITableRowStore>(_ => CreateRowStore(options));
        services.AddSingleton<IRequestStore, RequestStore>();
        services.AddSingleton<IRequestHistoryStore, RequestHistoryStore>();
        services.AddSingleton<IDialogStateStore, DialogStateStore>();
        services.AddSingleton<IConversationReferenceStore, ConversationReferenceStore>();
        services.AddSingleton<IDueWorkStore, DueWorkStore>();
        services.AddSingleton<IProcessedActivityStore, ProcessedActivityStore>();
        services.AddSingleton<IDigestSubscriptionStore, DigestSubscriptionStore>();
        services.AddSingleton<IChannelRoutingStore, ChannelRoutingStore>();
        services.AddSingleton<IComponentCatalogueStore, ComponentCatalogueStore>();
        services.AddSingleton<IGuidelineAcknowledgementStore, GuidelineAcknowledgementStore>();
        services.AddSingleton<TenantKeyMigration>();
        services.AddSingleton<IDailyRequestCountStore, DailyRequestCountStore>();
        services.AddSingleton<IUsedLinkStore, UsedLinkStore>();
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    private static ITableRowStore CreateRowStore(StorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new AzureTableRowStore(new TableServiceClient(options.ConnectionString), options.TablePrefix);
        }

        if (options.TableServiceUri is not null)
        {
            return new AzureTableRowStore(new TableServiceClient(options.TableServiceUri, new DefaultAzureCredential()), options.TablePrefix);
        }

        return new SqliteRowStore(options.EmbeddedPath, options.TablePrefix);
    }
}
