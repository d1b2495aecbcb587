using FusionBot.Bot;
using FusionBot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FusionBot.FunctionalTests.Hosting;

/// <summary>Every options section of the app is bound one way and validated when the app starts, naming the key to fix.</summary>
public sealed class StartupValidationTests : IDisposable
{
    private readonly string _embeddedPath = Path.Combine(Path.GetTempPath(), $"fusionbot-startup-{Guid.NewGuid():N}.db");

    [Theory]
    [InlineData("Storage:TablePrefix", "9tables")]
    [InlineData("Storage:TableServiceUri", "tables.local")]
    [InlineData("Links:SigningKey", "c2hvcnQ=")]
    [InlineData("Links:PublicBaseUrl", "http://bot.example")]
    [InlineData("Onboarding:TrainingUrl", "/training")]
    [InlineData("Review:MembershipCacheDuration", "-00:00:01")]
    [InlineData("Digest:Schedule", "every monday")]
    [InlineData("Digest:TimeZone", "Mars/Base")]
    [InlineData("Portfolio:ReviewGrace", "00:00:00")]
    [InlineData("OpenAI:Timeout", "00:00:30")]
    [InlineData("OpenAI:Deployment", "intake-model")]
    [InlineData("Graph:Timeout", "00:00:00")]
    [InlineData("Graph:BaseUrl", "graph/v1.0")]
    [InlineData("Sla:Tier2", "00:00:30")]
    [InlineData("Connectors:0:Alternative", "Carrier pigeon")]
    [InlineData("RateLimit:PermitsPerPeriod", "0")]
    [InlineData("Intake:MaxRequestsPerDay", "0")]
    [InlineData("Retention:BatchSize", "0")]
    [InlineData("Health:Timeout", "00:00:00")]
    [InlineData("Platform:TenantId", "contoso")]
    [InlineData("Platform:MaxAttempts", "0")]
    [InlineData("Platform:OwnerEscalationAfter", "3.00:00:00")]
    [InlineData("Legal:PrivacyUrl", "/privacy")]
    public async Task A_bad_setting_stops_the_app_at_start_with_a_message_naming_the_key(string key, string value)
    {
        var settings = GoodSettings();
        settings[key] = value;
        await using var app = Build(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_settings_without_the_bad_one_start()
    {
        await using var app = Build(GoodSettings());

        await app.StartAsync();
        await app.StopAsync();
    }

    private Dictionary<string, string?> GoodSettings() => new()
    {
        ["Storage:EmbeddedPath"] = _embeddedPath,
        ["Connectors:0:Id"] = "dropbox",
        ["Connectors:0:Name"] = "Dropbox",
        ["Connectors:0:Status"] = "Blocked",
    };

    /// <summary>The app as Program builds it (services and their start), on loopback, without the endpoints.</summary>
    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.Services.AddFusionBot(builder.Configuration);
        return builder.Build();
    }

    public void Dispose()
    {
        foreach (var file in new[] { _embeddedPath, _embeddedPath + "-wal", _embeddedPath + "-shm" })
        {
            File.Delete(file);
        }
    }
}
