using Azure.Monitor.OpenTelemetry.AspNetCore;
using FusionBot.Protocol.Connector;
using FusionBot.Retention;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FusionBot.Hosting;

/// <summary>
/// What every deployment of FusionBot runs with, in one place: telemetry (exported only when an exporter is
/// configured), liveness and readiness, the daily retention run, and the privacy and terms pages.
/// </summary>
public static class ServiceDefaults
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddFusionBotTelemetry(builder.Configuration);
        builder.Services.AddFusionBotHealthChecks(builder.Configuration);
        builder.Services.AddFusionBotRetention();
        builder.Services.AddFusionBotLegalPages();
        return builder;
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Liveness: the process answers. Nothing outside it is asked, so a storage outage does not get it restarted.
        app.MapGet(LivenessPath, () => Results.Text("ok"));
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponse.WriteAsync,
        });
        app.MapLegalPages();
        return app;
    }

    /// <summary>
    /// Traces and metrics go to Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set and over OTLP when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set (the OTEL_* settings choose protocol, headers, intervals); with neither,
    /// OpenTelemetry is not even started, so spans and measurements cost nothing.
    /// </summary>
    public static IServiceCollection AddFusionBotTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTransient<ConnectorSendMetrics>();
        services.AddHttpClient(nameof(ConnectorClient)).AddHttpMessageHandler<ConnectorSendMetrics>();

        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var azureMonitor = !string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        if (!otlp && !azureMonitor)
        {
            return services;
        }

        services.AddHostedService<OutboxBacklogSampler>();
        // Logs stay in the app's own log stream: they name requests and people for operators, telemetry may not.
        services.AddLogging(logging => logging.AddFilter<OpenTelemetryLoggerProvider>(_ => false));
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(FusionBotTelemetry.Name))
            .WithTracing(tracing => tracing
                .AddSource(FusionBotTelemetry.Name)
                // Before any exporter: ids leave URLs before a span is handed on.
                .AddProcessor(new TelemetryRedaction())
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(FusionBotTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        if (azureMonitor)
        {
            telemetry.UseAzureMonitor();
        }

        return services;
    }

    public static IServiceCollection AddFusionBotHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section)
            .Validate(o => o.OutboxStuckAfter > TimeSpan.Zero, "Health:OutboxStuckAfter must be positive.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Health:Timeout must be positive.")
            .ValidateOnStart();
        // A timeout that is not positive is left to the validation above, which names the key at start; the health
        // check registration would otherwise throw an ArgumentOutOfRangeException naming nothing.
        var configured = configuration.GetSection(HealthOptions.Section).Get<HealthOptions>()?.Timeout ?? new HealthOptions().Timeout;
        TimeSpan? timeout = configured > TimeSpan.Zero ? configured : null;
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag], timeout: timeout)
            .AddCheck<OutboxHealthCheck>("outbox", tags: [ReadyTag], timeout: timeout);
        return services;
    }

    private static bool IsProbe(PathString path) => path.StartsWithSegments(LivenessPath) || path.StartsWithSegments(ReadinessPath);
}
