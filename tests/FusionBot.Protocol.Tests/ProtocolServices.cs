using FusionBot.Protocol.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace FusionBot.Protocol.Tests;

/// <summary>The protocol's services as <c>AddBotFramework</c> wires them, outside a web host.</summary>
internal static class ProtocolServices
{
    public static ServiceProvider Create(
        IEnumerable<KeyValuePair<string, string?>> configuration, TimeProvider? timeProvider = null, string environment = "Development")
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddBotFramework(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

/// <summary>Runs every delay at once while remembering how long it was asked to be, so retry tests are quick.</summary>
internal sealed class ImmediateDelays : TimeProvider
{
    private readonly List<TimeSpan> delays = [];

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (delays)
            {
                return [.. delays];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (delays)
        {
            delays.Add(dueTime);
        }

        return base.CreateTimer(callback, state, TimeSpan.Zero, period);
    }
}
