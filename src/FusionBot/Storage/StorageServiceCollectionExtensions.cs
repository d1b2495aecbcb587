using Azure.Data.Tables;
using Azure.Identity;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FusionBot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers every store over Azure Table Storage (Storage:ConnectionString, or Storage:TableServiceUri with
    /// DefaultAzureCredential) or, when neither is set, over the embedded SQLite file (Storage:EmbeddedPath).
    /// </summary>
    public static IServiceCollection AddFusionBotStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ITableRowStore>(sp =>
        {
            var store = CreateRowStore(
                sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
            return new TelemetryRowStore(store, store is AzureTableRowStore ? "azure.tables" : "sqlite");
        });
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
        services.AddSingleton<PersonRequestIndex>();
        services.AddSingleton<WrittenRowIndex>();
        services.AddSingleton<PersonalDataRows>();
        services.AddSingleton<PrivacyRecords>();
        services.AddHostedService<StorageInitializer>();
        services.AddSingleton<RequestIndexWriter>();
        services.AddSingleton<RequestIndexBackfill>();
        services.AddSingleton<RequestIndexReader>();
        services.AddSingleton<ExportFileStore>();
        return services;
    }

    private static ITableRowStore CreateRowStore(StorageOptions options, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new AzureTableRowStore(new TableServiceClient(options.ConnectionString), options.EffectiveTablePrefix);
        }

        if (options.TableServiceUri is not null)
        {
            return new AzureTableRowStore(new TableServiceClient(options.TableServiceUri, new DefaultAzureCredential()), options.EffectiveTablePrefix);
        }

        return new SqliteRowStore(options.EmbeddedFullPath(contentRoot), options.EffectiveTablePrefix);
    }
}
