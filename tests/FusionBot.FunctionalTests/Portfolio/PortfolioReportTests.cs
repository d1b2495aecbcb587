using System.Net;
using System.Text.Json.Nodes;
using FusionBot.Features.Portfolio;
using FusionBot.FunctionalTests.Review;
using FusionBot.Requests;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Portfolio;

/// <summary><c>portfolio</c> and <c>portfolio export</c> through the real app: the card, and the signed CSV link served by the bot.</summary>
public sealed class PortfolioReportTests : IAsyncLifetime
{
    private static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());
    private ReviewHarness _h = null!;

    public async Task InitializeAsync() => _h = await ReviewHarness.StartAsync(new Dictionary<string, string?> { ["Links:SigningKey"] = SigningKey });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<string> HeadingAsync(string command)
    {
        var card = (JsonObject)Assert.Single((await _h.Bot.SayAsync(command, ReviewHarness.Admin)).SelectMany(a => a.Attachments ?? [])).Content!;
        return card["body"]![0]!["text"]!.GetValue<string>();
    }

    private async Task<Uri> ExportLinkAsync()
    {
        var link = await ExportLinkCards.AfterAsync(_h.Connector, async () =>
            Assert.Contains("Preparing your portfolio export", string.Join(" ", (await _h.Bot.SayAsync("portfolio export", ReviewHarness.Admin)).Select(a => a.Text))));
        await AdaptiveCardValidator.AssertValidAsync([.. _h.Bot.CardsSent()]);
        return link;
    }

    private async Task<HttpResponseMessage> GetAsync(Uri link)
    {
        using var client = _h.Bot.CreateClient();
        return await client.GetAsync(link.PathAndQuery);
    }

    private async Task SeedAsync()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2, "=Invoices, \"big\" ones");
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.approve", id, TeamsUser.Reviewer);
    }

    [Fact]
    public async Task Admins_get_the_portfolio_card_and_others_are_refused()
    {
        await SeedAsync();

        Assert.Contains("Only CoE admins", string.Join(" ", (await _h.Bot.SayAsync("portfolio", TeamsUser.Maker)).Select(a => a.Text)));
        Assert.Contains("Only CoE admins", string.Join(" ", (await _h.Bot.SayAsync("portfolio export", TeamsUser.Maker)).Select(a => a.Text)));

        var all = string.Join(" ", (await _h.Bot.SayAsync("portfolio", ReviewHarness.Admin)).SelectMany(a => a.Attachments ?? []).Select(a => a.Content!.ToJsonString()));
        Assert.Contains("Tier 2", all, StringComparison.Ordinal);
        Assert.Contains("Median time to decision", all, StringComparison.Ordinal);
        Assert.Equal("Portfolio · Tier 3", await HeadingAsync("portfolio tier 3"));
        Assert.Equal("Overdue periodic reviews: 0", await HeadingAsync("portfolio overdue"));

        await AdaptiveCardValidator.AssertValidAsync([.. _h.Bot.CardsSent()]);
    }

    [Fact]
    public async Task The_export_link_downloads_the_csv_and_a_tampered_one_is_refused()
    {
        await SeedAsync();
        var link = await ExportLinkAsync();

        using var ok = await GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/csv", ok.Content.Headers.ContentType!.MediaType);
        var csv = (await ok.Content.ReadAsStringAsync()).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,title,tier,status,maker,created,decided,hours_saved_per_week", lines[0]);
        var row = Assert.Single(lines.Skip(1));
        Assert.StartsWith("FR-", row, StringComparison.Ordinal);
        Assert.Contains(",\"'=Invoices, \"\"big\"\" ones\",2,Approved,Mia Maker,", row, StringComparison.Ordinal);

        var tampered = new Uri(link.ToString().Replace($"tenant={_h.Bot.Activities.TenantId}", "tenant=another-tenant", StringComparison.Ordinal));
        Assert.NotEqual(link, tampered);
        using var forbidden = await GetAsync(tampered);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("not valid", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var unsigned = await GetAsync(new Uri(link.GetLeftPart(UriPartial.Path)));
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
    }

    [Fact]
    public async Task The_export_is_prepared_once_and_reused_until_a_request_changes()
    {
        await SeedAsync();
        var exports = _h.Bot.Services.GetRequiredService<PortfolioExports>();
        var tenant = _h.Bot.Activities.TenantId;

        await ExportLinkAsync();
        var first = await exports.CurrentAsync(tenant, CancellationToken.None);
        await ExportLinkAsync();
        Assert.Equal(first!.PreparationId, (await exports.CurrentAsync(tenant, CancellationToken.None))!.PreparationId);

        var id = await _h.SubmitAsync(2, "Second solution");
        await _h.PostedAsync(id);
        var link = await ExportLinkAsync();
        var second = await exports.CurrentAsync(tenant, CancellationToken.None);
        Assert.NotEqual(first.PreparationId, second!.PreparationId);

        using var response = await GetAsync(link);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(id + ",Second solution,2,PendingReview,", StringComparison.Ordinal));
    }
}
