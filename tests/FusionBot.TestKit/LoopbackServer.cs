using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FusionBot.TestKit;

/// <summary>Starts a tiny Kestrel app on 127.0.0.1 with a port the OS picks.</summary>
internal static class LoopbackServer
{
    public static async Task<(WebApplication App, string BaseUrl)> StartAsync(Action<WebApplication> mapRoutes)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();

        // Clients in tests keep connections alive; a fake has nothing to drain, so it stops without waiting for them.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        var app = builder.Build();
        mapRoutes(app);
        await app.StartAsync().ConfigureAwait(false);
        return (app, app.Urls.Single().TrimEnd('/'));
    }
}
