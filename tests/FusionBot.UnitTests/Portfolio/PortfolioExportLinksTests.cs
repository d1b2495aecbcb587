using FusionBot.Features.Portfolio;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.UnitTests.Portfolio;

public sealed class PortfolioExportLinksTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly PortfolioExportLinks _links;

    public PortfolioExportLinksTests()
    {
        var options = new PortfolioOptions { ExportSigningKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()) };
        _links = new PortfolioExportLinks(Options.Create(options), _time);
    }

    private ExportLinkCheck Check(Uri link, Func<Dictionary<string, string?>, Dictionary<string, string?>>? change = null)
    {
        var query = QueryHelpers.ParseQuery(link.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        query = change?.Invoke(query) ?? query;
        return _links.Check(query.GetValueOrDefault("tenant"), query.GetValueOrDefault("admin"), query.GetValueOrDefault("expires"), query.GetValueOrDefault("sig"));
    }

    private Uri Create() => _links.Create(new Uri("https://bot.example.com/"), "tenant-1", "aad-admin");

    [Fact]
    public void A_fresh_link_is_valid_and_points_at_the_export_on_the_public_host()
    {
        var link = Create();

        Assert.Equal("https://bot.example.com/portfolio/export", link.GetLeftPart(UriPartial.Path));
        Assert.Equal(ExportLinkCheck.Valid, Check(link));
    }

    [Theory]
    [InlineData("tenant", "tenant-2")]
    [InlineData("admin", "aad-someone-else")]
    [InlineData("expires", "9999999999")]
    [InlineData("sig", "AAAA")]
    public void Changing_any_part_makes_it_invalid(string part, string value) =>
        Assert.Equal(ExportLinkCheck.Invalid, Check(Create(), q => new(q) { [part] = value }));

    [Fact]
    public void A_missing_signature_is_invalid() =>
        Assert.Equal(ExportLinkCheck.Invalid, Check(Create(), q => new(q) { ["sig"] = null }));

    [Fact]
    public void After_ten_minutes_the_link_is_expired()
    {
        var link = Create();

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(ExportLinkCheck.Valid, Check(link));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ExportLinkCheck.Expired, Check(link));
    }

    [Fact]
    public void A_link_signed_with_another_key_is_invalid()
    {
        var other = new PortfolioExportLinks(Options.Create(new PortfolioOptions { ExportSigningKey = Convert.ToBase64String(new byte[32]) }), _time);
        var forged = other.Create(new Uri("https://bot.example.com/"), "tenant-1", "aad-admin");

        Assert.Equal(ExportLinkCheck.Invalid, Check(forged));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64!")]
    public void Without_a_usable_key_export_is_not_configured(string? key) =>
        Assert.False(new PortfolioExportLinks(Options.Create(new PortfolioOptions { ExportSigningKey = key }), _time).IsConfigured);
}
