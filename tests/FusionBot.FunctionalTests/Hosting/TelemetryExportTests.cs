using System.Text;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Hosting;

/// <summary>
/// With an OTLP endpoint set, a maker's intake over HTTP is traced and measured, and nothing that names the maker,
/// repeats what they typed or carries an id reaches the collector.
/// </summary>
public sealed class TelemetryExportTests
{
    private static readonly TeamsUser Maker = new("29:otel-maker-5c81f0", "Zelda Quintessence", "c3d4e5f6-7777-4888-9999-0a1b2c3d4e5f");
    private const string Title = "Orchid ledger of Zelda";
    private const string Purpose = "Track the orchid budget of the greenhouse crew";

    [Fact]
    public async Task A_makers_intake_exports_turn_storage_and_connector_spans_and_the_bot_metrics_with_no_personal_data()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var settings = new Dictionary<string, string?>(collector.Settings) { ["Outbox:SweepInterval"] = "00:00:01" };
        var sent = new List<Activity>();
        string requestId;
        string tenantId;
        await using (var bot = await BotHost.StartAsync(settings: settings))
        {
            tenantId = bot.Activities.TenantId;
            async Task<IReadOnlyList<Activity>> SendAsync(Activity activity)
            {
                sent.Add(activity);
                return await bot.TurnAsync(activity);
            }

            foreach (var text in new[] { "new request", Title, Purpose, "Power Apps", "My team", "8", "none", "Internal", "None", "skip", "confirm" })
            {
                Assert.NotEmpty(await SendAsync(bot.Activities.PersonalMessage(text, Maker)));
            }

            var request = Assert.Single(await bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(tenantId, Maker.Id, 10));
            requestId = request.Id;
            var certify = bot.Activities.PersonalMessage("", Maker);
            certify.Text = null;
            certify.Value = new JsonObject
            {
                ["selfCertify"] = request.Id, ["dataInTeam"] = "true", ["sharedWithTeam"] = "true", ["noSensitiveData"] = "true", ["ownersNamed"] = "true",
            };
            await SendAsync(certify);
            Assert.Equal(RequestStatus.SelfCertified, (await bot.Services.GetRequiredService<IRequestStore>().GetAsync(tenantId, request.Id))!.Status);

            // A card action the maker may not take: an invoke answered with a refusal, timed like any other.
            var invoke = bot.Activities.AdaptiveCardAction("review.approve", new JsonObject { ["requestId"] = request.Id }, Maker);
            sent.Add(invoke);
            Assert.True((await bot.PostAsync(invoke)).IsSuccessStatusCode);
            Assert.True(await collector.WaitForAsync(
                c => c.Spans.Any(s => s.Name == "turn invoke") && c.Points.Any(p => p.Metric == "fusionbot.invoke.duration"),
                TimeSpan.FromSeconds(30)), "the invoke's span and latency were not exported");
        }

        // Other tests of this process may export here too: look at ours.
        var spans = collector.Spans.Where(s => s.Scope == "FusionBot").ToList();
        var turns = spans.Where(s => s.Name.StartsWith("turn ", StringComparison.Ordinal)).ToList();
        var turnIds = turns.Select(s => s.SpanId).ToHashSet();
        var points = collector.Points.Where(p => p.Scope == "FusionBot").ToList();
        var seen = string.Join("\n", turns.Select(t => $"{t.Name} {string.Join(' ', t.Attributes)}")
            .Concat(points.Select(p => $"{p.Metric} {string.Join(' ', p.Attributes)} = {p.Value}")).Distinct());
        void Expect(bool found, string what) => Assert.True(found, $"Expected {what}. Exported:\n{seen}");

        Expect(turns.Any(s => s.Name == "turn message" && s.Attributes["fusionbot.command"] == "newrequest" && s.Attributes["fusionbot.outcome"] == "ok"),
            "a message turn span of the new request command");
        Expect(turns.Any(s => s.Attributes["fusionbot.command"] == "text" && s.Attributes.GetValueOrDefault("fusionbot.tier") == "1"), "the submitting turn tagged with its tier");
        Expect(turns.Any(s => s.Name == "turn invoke" && s.Attributes["fusionbot.command"] == "review.approve" && s.Attributes["fusionbot.outcome"] == "refused"),
            "a refused invoke turn span");
        Expect(spans.Any(s => s.Name.StartsWith("storage ", StringComparison.Ordinal) && turnIds.Contains(s.ParentSpanId)
            && s.Attributes["db.system.name"] == "sqlite" && s.Attributes.ContainsKey("db.collection.name")), "storage spans inside a turn");
        Expect(collector.Spans.Any(s => turnIds.Contains(s.ParentSpanId) && s.Attributes.GetValueOrDefault("url.full") is { } url
            && url.EndsWith("/v3/conversations/{id}/activities/{id}", StringComparison.Ordinal)), "a connector call inside a turn, its ids redacted");

        Expect(points.Any(p => p.Metric == "fusionbot.turns" && p.Attributes["fusionbot.command"] == "newrequest" && p.Value >= 1), "turns counted by command");
        Expect(points.Any(p => p.Metric == "fusionbot.invoke.duration" && p.Attributes["fusionbot.command"] == "review.approve" && p.Value >= 1), "invoke latency");
        Expect(points.Any(p => p.Metric == "fusionbot.sends" && p.Attributes["fusionbot.send.result"] == "ok" && p.Value >= 1), "sends by result");
        Expect(points.Any(p => p.Metric == "fusionbot.decisions" && p.Attributes["fusionbot.tier"] == "1"
            && p.Attributes["fusionbot.decision"] == RequestActions.SelfCertified && p.Value >= 1), "the self-certification counted as a Tier 1 decision");
        Expect(points.Any(p => p.Metric == "fusionbot.outbox.depth"), "the outbox depth gauge");
        Expect(points.Any(p => p.Metric == "fusionbot.outbox.oldest_due_age"), "the outbox age gauge");

        string[] personal =
        [
            Maker.Id, Maker.Name, Maker.AadObjectId, Title, Purpose, "orchid", requestId, tenantId,
            sent[0].Conversation!.Id!, .. sent.Select(a => a.Id!),
        ];
        var attributeValues = collector.Spans.SelectMany(s => s.Attributes.Values.Append(s.Name))
            .Concat(collector.Points.SelectMany(p => p.Attributes.Values))
            .Concat(collector.ResourceAttributes.Select(a => a.Value))
            .ToList();
        foreach (var value in personal)
        {
            Assert.DoesNotContain(attributeValues, v => v.Contains(value, StringComparison.OrdinalIgnoreCase));
            var bytes = Encoding.UTF8.GetBytes(value);
            Assert.DoesNotContain(collector.Bodies, body => body.AsSpan().IndexOf(bytes) >= 0);
        }
    }

    [Fact]
    public async Task With_application_insights_configured_too_the_exported_items_carry_no_personal_data_and_no_logs()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var ingestion = await AzureMonitorIngestion.StartAsync();
        var settings = new Dictionary<string, string?>(collector.Settings)
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ingestion.ConnectionString,
            // Every trace, not Azure Monitor's default of 5 a second, which a test's burst of turns can exceed.
            ["OTEL_TRACES_SAMPLER"] = "microsoft.fixed_percentage",
            ["OTEL_TRACES_SAMPLER_ARG"] = "1.0",
        };
        string conversationId;
        await using (var bot = await BotHost.StartAsync(settings: settings))
        {
            foreach (var text in new[] { "new request", Title, Purpose })
            {
                Assert.NotEmpty(await bot.SayAsync(text, Maker));
            }

            conversationId = bot.Activities.PersonalConversation(Maker).Id!;
            Assert.Equal("ok", await bot.CreateClient().GetStringAsync("/healthz"));
            // Traces go out in batches every few seconds; the app must still be running to send them.
            Assert.True(await ingestion.WaitForAsync("\"name\":\"turn message\"", TimeSpan.FromSeconds(30)), "no turn span reached Application Insights");
        }

        var exported = string.Join("\n", ingestion.Batches);
        Assert.DoesNotContain("MessageData", exported, StringComparison.Ordinal);
        foreach (var value in new[] { Maker.Id, Maker.Name, Maker.AadObjectId, Title, Purpose, conversationId })
        {
            Assert.DoesNotContain(value, exported, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains(collector.Spans, s => s.Name == "turn message");
    }
}
