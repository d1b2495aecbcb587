using System.Net;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.TestKit;

namespace FusionBot.FunctionalTests.Portfolio;

/// <summary>Export links expire (410), and without a signing key there is no export.</summary>
public sealed class PortfolioExportExpiryTests
{
    private const string AdminAad = "c3333333-3333-3333-3333-333333333333";
    private static readonly TeamsUser Admin = new("29:admin-1", "Ada Admin", AdminAad);

    [Fact]
    public async Task An_expired_link_answers_410()
    {
        await using var bot = await BotHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Governance:AdminIds:0"] = AdminAad,
            ["Links:SigningKey"] = Convert.ToBase64String(new byte[48]),
            ["Portfolio:ExportLinkLifetime"] = "00:00:01",
        });
        var link = await ExportLinkCards.AfterAsync(bot.Connector, () => bot.SayAsync("portfolio export", Admin));

        // The expiry is in whole seconds: two seconds later the link is certainly past it.
        await Task.Delay(TimeSpan.FromSeconds(2));
        using var client = bot.CreateClient();
        using var response = await client.GetAsync(link.PathAndQuery);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_signing_key_the_command_says_export_is_not_configured()
    {
        await using var bot = await BotHost.StartAsync(settings: new Dictionary<string, string?> { ["Governance:AdminIds:0"] = AdminAad });

        var replies = await bot.SayAsync("portfolio export", Admin);

        Assert.Contains("not configured", string.Join(" ", replies.Select(a => a.Text)), StringComparison.Ordinal);
    }
}
