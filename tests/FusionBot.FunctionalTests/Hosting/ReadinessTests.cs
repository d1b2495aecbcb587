using System.Net;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Features.Outbox;
using FusionBot.Storage;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Hosting;

/// <summary>/readyz follows what the bot needs (storage that answers, an outbox that is worked); /healthz only the process.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readiness_fails_while_storage_does_not_answer_and_recovers_when_it_does()
    {
        using var azurite = await AzuriteTableServer.StartDedicatedAsync();
        await using var bot = await BotHost.StartAsync(azurite, new Dictionary<string, string?> { ["Health:Timeout"] = "00:00:02" });
        using var client = bot.CreateClient();
        await AssertReadinessAsync(client, HttpStatusCode.OK, "Healthy");

        await azurite.PauseAsync();
        var down = await AssertReadinessAsync(client, HttpStatusCode.ServiceUnavailable, "Unhealthy");
        Assert.Equal("Unhealthy", (string?)down["checks"]!["storage"]!["status"]);
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));

        await azurite.ResumeAsync();
        var back = await AssertReadinessAsync(client, HttpStatusCode.OK, "Healthy");
        Assert.Equal("Healthy", (string?)back["checks"]!["storage"]!["status"]);
    }

    [Fact]
    public async Task An_outbox_item_due_for_an_hour_reads_degraded_and_keeps_the_instance_in_rotation()
    {
        await using var bot = await BotHost.StartAsync(services: services => services.AddScoped<IOutboxHandler, HangingHandler>());
        using var client = bot.CreateClient();
        await AssertReadinessAsync(client, HttpStatusCode.OK, "Healthy");

        // A worker stuck on one item (the handler never returns), which has been due for an hour.
        await bot.Services.GetRequiredService<IDueWorkStore>().EnqueueAsync(new DueWorkItem
        {
            Id = "stuck:1",
            Kind = HangingHandler.HangingKind,
            DueAt = DateTimeOffset.UtcNow.AddHours(-1),
            Payload = "{}",
        });

        var report = await AssertReadinessAsync(client, HttpStatusCode.OK, "Degraded");
        Assert.Equal("Degraded", (string?)report["checks"]!["outbox"]!["status"]);
        Assert.Contains("oldest due outbox item has waited", (string?)report["checks"]!["outbox"]!["description"]);
        Assert.Equal("Healthy", (string?)report["checks"]!["storage"]!["status"]);
    }

    private static async Task<JsonNode> AssertReadinessAsync(HttpClient client, HttpStatusCode expected, string status)
    {
        using var response = await client.GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"/readyz answered {(int)response.StatusCode}: {body}");
        var report = JsonNode.Parse(body)!;
        Assert.Equal(status, (string?)report["status"]);
        return report;
    }

    private sealed class HangingHandler : IOutboxHandler
    {
        public const string HangingKind = "test.hang";

        public string Kind => HangingKind;

        public Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
