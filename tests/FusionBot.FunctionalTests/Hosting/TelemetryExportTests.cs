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
        var settings = new Dictionary<string, string?>(collector.Settings) { ["Sla:SweepInterval"] = "00:00:01" };
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
        }

        // Disposing the app flushed its exporters. Other tests of this process may export here too: look at ours.
        var spans = collector.Spans.Where(s => s.Scope == "FusionBot").ToList();
        var turns = spans.Where(s => s.Name.StartsWith("turn ", StringComparison.Ordinal)).ToList();
        Assert.Contains(turns, s => s.Name == "turn message" && s.Attributes["fusionbot.command"] == "newrequest" && s.Attributes["fusionbot.outcome"] == "ok");
        Assert.Contains(turns, s => s.Attributes["fusionbot.command"] == "text" && s.Attributes.GetValueOrDefault("fusionbot.tier") == "1");
        Assert.Contains(turns, s => s.Name == "turn invoke" && s.Attributes["fusionbot.command"] == "review.approve" && s.Attributes["fusionbot.outcome"] == "refused");
        var turnIds = turns.Select(s => s.SpanId).ToHashSet();
        Assert.Contains(spans, s => s.Name.StartsWith("storage ", StringComparison.Ordinal) && turnIds.Contains(s.ParentSpanId)
            && s.Attributes["db.system.name"] == "sqlite" && s.Attributes.ContainsKey("db.collection.name"));
        Assert.Contains(collector.Spans, s => turnIds.Contains(s.ParentSpanId) && s.Attributes.GetValueOrDefault("url.full") is { } url
            && url.EndsWith("/v3/conversations/{id}/activities/{id}", StringComparison.Ordinal));

        var points = collector.Points.Where(p => p.Scope == "FusionBot").ToList();
        Assert.Contains(points, p => p.Metric == "fusionbot.turns" && p.Attributes["fusionbot.command"] == "newrequest" && p.Value >= 1);
        Assert.Contains(points, p => p.Metric == "fusionbot.invoke.duration" && p.Attributes["fusionbot.command"] == "review.approve" && p.Value >= 1);
        Assert.Contains(points, p => p.Metric == "fusionbot.sends" && p.Attributes["fusionbot.send.result"] == "ok" && p.Value >= 1);
        Assert.Contains(points, p => p.Metric == "fusionbot.decisions" && p.Attributes["fusionbot.tier"] == "1"
            && p.Attributes["fusionbot.decision"] == RequestActions.SelfCertified && p.Value >= 1);
        Assert.Contains(points, p => p.Metric == "fusionbot.outbox.depth");
        Assert.Contains(points, p => p.Metric == "fusionbot.outbox.oldest_due_age");

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
}
