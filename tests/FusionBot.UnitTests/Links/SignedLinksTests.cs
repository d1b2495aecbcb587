using FusionBot.Links;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace FusionBot.UnitTests.Links;

public sealed class SignedLinksTests
{
    internal static readonly string Key = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    internal static SignedLinks Links(string? key = null, Uri? publicBaseUrl = null, HttpContext? request = null) =>
        new(Options.Create(new LinkOptions { SigningKey = key ?? Key, PublicBaseUrl = publicBaseUrl ?? new Uri("https://bot.example.com/") }),
            new HttpContextAccessor { HttpContext = request });

    internal static IQueryCollection Query(Uri link, Func<Dictionary<string, string?>, Dictionary<string, string?>>? change = null)
    {
        var query = QueryHelpers.ParseQuery(link.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        query = change?.Invoke(query) ?? query;
        return new QueryCollection(query.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => new Microsoft.Extensions.Primitives.StringValues(p.Value)));
    }

    private static Uri Create(SignedLinks links) => links.Create("/things/open", [new("tenant", "tenant-1"), new("user", "aad-1")])!;

    [Fact]
    public void A_link_reads_back_its_parameters_in_order_and_points_at_the_public_host()
    {
        var links = Links();
        var link = Create(links);

        Assert.Equal("https://bot.example.com/things/open", link.GetLeftPart(UriPartial.Path));
        var read = links.Read("/things/open", Query(link), "tenant", "user");
        Assert.Equal([new("tenant", "tenant-1"), new("user", "aad-1")], read);
    }

    [Theory]
    [InlineData("tenant", "tenant-2")]
    [InlineData("user", "aad-2")]
    [InlineData("sig", "AAAA")]
    [InlineData("sig", null)]
    [InlineData("user", null)]
    public void Changing_or_dropping_any_part_makes_it_unreadable(string part, string? value) =>
        Assert.Null(Links().Read("/things/open", Query(Create(Links()), q => new(q) { [part] = value }), "tenant", "user"));

    [Fact]
    public void A_link_for_one_path_is_worthless_at_another() =>
        Assert.Null(Links().Read("/other/path", Query(Create(Links())), "tenant", "user"));

    [Fact]
    public void A_link_signed_with_another_key_is_refused() =>
        Assert.Null(Links().Read("/things/open", Query(Create(Links(Convert.ToBase64String(new byte[32])))), "tenant", "user"));

    [Fact]
    public void Without_a_public_address_the_link_uses_the_host_the_request_came_to()
    {
        var request = new DefaultHttpContext();
        request.Request.Scheme = "https";
        request.Request.Host = new HostString("fusionbot.contoso.com");
        var links = new SignedLinks(Options.Create(new LinkOptions { SigningKey = Key }), new HttpContextAccessor { HttpContext = request });

        Assert.Equal("https://fusionbot.contoso.com/things/open", Create(links).GetLeftPart(UriPartial.Path));
    }

    [Theory]
    [InlineData("http", "fusionbot.contoso.com", null)]
    [InlineData("https", "fusionbot.contoso.com", "https://fusionbot.contoso.com/things/open")]
    [InlineData("http", "localhost:3978", "http://localhost:3978/things/open")]
    [InlineData("http", "127.0.0.1:5000", "http://127.0.0.1:5000/things/open")]
    public void Without_a_public_address_only_an_https_or_loopback_request_address_is_used(string scheme, string host, string? expected)
    {
        var request = new DefaultHttpContext();
        request.Request.Scheme = scheme;
        request.Request.Host = new HostString(host);
        var links = new SignedLinks(Options.Create(new LinkOptions { SigningKey = Key }), new HttpContextAccessor { HttpContext = request });

        Assert.Equal(expected, links.Create("/things/open", [new("tenant", "t")])?.GetLeftPart(UriPartial.Path));
    }

    [Theory]
    [InlineData("https://contoso.com/fusionbot/")]
    [InlineData("https://contoso.com/fusionbot")]
    public void A_public_address_with_a_folder_keeps_it(string publicBaseUrl)
    {
        var link = Links(publicBaseUrl: new Uri(publicBaseUrl)).Create("/things/open", [new("tenant", "t")])!;

        Assert.Equal("https://contoso.com/fusionbot/things/open", link.GetLeftPart(UriPartial.Path));
        Assert.NotNull(Links().Read("/things/open", Query(link), "tenant"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64!")]
    public void Without_a_usable_key_there_are_no_links(string? key)
    {
        var links = new SignedLinks(Options.Create(new LinkOptions { SigningKey = key, PublicBaseUrl = new Uri("https://bot.example.com/") }), new HttpContextAccessor());

        Assert.False(links.IsConfigured);
        Assert.Null(links.Create("/things/open", [new("tenant", "t")]));
    }

    [Fact]
    public void A_value_with_a_newline_cannot_be_signed() =>
        Assert.Throws<ArgumentException>(() => Links().Create("/things/open", [new("tenant", "t\nuser=x")]));
}
