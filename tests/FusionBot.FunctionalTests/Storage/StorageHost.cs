using FusionBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace FusionBot.FunctionalTests.Storage;

/// <summary>The storage services as the app wires them, from a "Storage" configuration, with the start-up initializer run.</summary>
public sealed class StorageHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private StorageHost(ServiceProvider services) => _services = services;

    /// <param name="time">The clock the stores see; the system clock when null.</param>
    public static async Task<StorageHost> StartAsync(IDictionary<string, string?> storageSettings, string contentRoot, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(storageSettings.Select(s => KeyValuePair.Create("Storage:" + s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection().AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new TestEnvironment(contentRoot));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        var provider = services
            .AddFusionBotStorage()
            .BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return new StorageHost(provider);
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private sealed class TestEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "FusionBot.FunctionalTests";
        public string ContentRootPath { get; set; } = contentRoot;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
