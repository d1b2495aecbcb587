using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

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
    public void A_bad_setting_stops_the_app_at_start_with_a_message_naming_the_key(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:EmbeddedPath"] = _embeddedPath,
            ["Connectors:0:Id"] = "dropbox",
            ["Connectors:0:Name"] = "Dropbox",
            ["Connectors:0:Status"] = "Blocked",
            [key] = value,
        };
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            foreach (var (name, setting) in settings)
            {
                builder.UseSetting(name, setting);
            }
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_settings_without_the_bad_one_start()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Storage:EmbeddedPath", _embeddedPath);
            builder.UseSetting("Connectors:0:Id", "dropbox");
            builder.UseSetting("Connectors:0:Name", "Dropbox");
            builder.UseSetting("Connectors:0:Status", "Blocked");
        });

        using var client = factory.CreateClient();

        Assert.NotNull(client.BaseAddress);
    }

    public void Dispose()
    {
        foreach (var file in new[] { _embeddedPath, _embeddedPath + "-wal", _embeddedPath + "-shm" })
        {
            File.Delete(file);
        }
    }
}
