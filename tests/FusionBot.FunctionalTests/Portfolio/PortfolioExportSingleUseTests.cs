using System.Net;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;

namespace FusionBot.FunctionalTests.Portfolio;

/// <summary>An export link downloads once, on whichever instance it is opened: a replay answers 410.</summary>
public abstract class PortfolioExportSingleUseTests : IAsyncLifetime
{
    private const string AdminAad = "c3333333-3333-3333-3333-333333333333";
    private static readonly TeamsUser Admin = new("29:admin-1", "Ada Admin", AdminAad);
    private IReadOnlyList<BotHost> _instances = [];

    protected abstract AzuriteTableServer? TableStorage { get; }

    public async Task InitializeAsync() => _instances = await BotHost.StartManyAsync(2, TableStorage, new Dictionary<string, string?>
    {
        ["Governance:AdminIds:0"] = AdminAad,
        ["Links:SigningKey"] = Convert.ToBase64String(new byte[48]),
    });

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_second_download_of_the_same_link_answers_410_with_a_way_forward()
    {
        var link = await ExportLinkAsync();

        using var first = await GetAsync(_instances[0], link);
        using var second = await GetAsync(_instances[0], link);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/csv", first.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
        Assert.Contains("already used", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("portfolio export", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opened_on_two_instances_at_once_the_link_downloads_exactly_once()
    {
        var link = await ExportLinkAsync();

        var responses = await Task.WhenAll(_instances.Select(instance => GetAsync(instance, link)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Gone], responses.Select(r => r.StatusCode).Order());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Each_new_link_downloads_once_of_its_own()
    {
        using var first = await GetAsync(_instances[0], await ExportLinkAsync());
        using var second = await GetAsync(_instances[0], await ExportLinkAsync());

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
    }

    private Task<Uri> ExportLinkAsync() =>
        ExportLinkCards.AfterAsync(_instances[0].Connector, async () =>
            Assert.Contains("Preparing your portfolio export", string.Join(" ", (await _instances[0].SayAsync("portfolio export", Admin)).Select(a => a.Text))));

    private static async Task<HttpResponseMessage> GetAsync(BotHost instance, Uri link)
    {
        using var client = instance.CreateClient();
        return await client.GetAsync(link.PathAndQuery);
    }
}

public sealed class PortfolioExportSingleUseOnSqliteTests : PortfolioExportSingleUseTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class PortfolioExportSingleUseOnTableStorageTests(AzuriteFixture azurite) : PortfolioExportSingleUseTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
