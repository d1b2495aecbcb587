using FusionBot.Features.Portfolio;
using FusionBot.Links;
using FusionBot.UnitTests.Links;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.UnitTests.Portfolio;

public sealed class PortfolioExportLinksTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    private PortfolioExportLinks Links(SignedLinks? signed = null) =>
        new(signed ?? SignedLinksTests.Links(), Options.Create(new PortfolioOptions()), _time);

    private Uri Create() => Links().Create("tenant-1", "aad-admin")!;

    [Fact]
    public void A_fresh_link_is_valid_for_its_tenant_and_admin_and_points_at_the_export()
    {
        var link = Create();

        Assert.Equal("https://bot.example.com/portfolio/export", link.GetLeftPart(UriPartial.Path));
        var read = Links().Read(SignedLinksTests.Query(link));
        Assert.Equal((ExportLinkCheck.Valid, "tenant-1", "aad-admin"), (read.Check, read.TenantId, read.AdminId));
        Assert.Equal(_time.GetUtcNow().AddMinutes(10), read.ExpiresAt);
    }

    [Fact]
    public void Each_link_carries_its_own_random_nonce_for_single_use()
    {
        var nonces = Enumerable.Range(0, 20).Select(_ => Links().Read(SignedLinksTests.Query(Create())).Nonce).ToList();

        Assert.All(nonces, nonce => Assert.True(nonce.Length >= 22, nonce));
        Assert.Equal(nonces.Count, nonces.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("tenant", "tenant-2")]
    [InlineData("admin", "aad-someone-else")]
    [InlineData("expires", "9999999999")]
    [InlineData("nonce", "another-nonce")]
    [InlineData("nonce", null)]
    [InlineData("sig", "AAAA")]
    [InlineData("sig", null)]
    public void Changing_any_part_makes_it_invalid(string part, string? value) =>
        Assert.Equal(ExportLinkCheck.Invalid, Links().Read(SignedLinksTests.Query(Create(), q => new(q) { [part] = value })).Check);

    [Fact]
    public void After_ten_minutes_the_link_is_expired()
    {
        var link = Create();

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(ExportLinkCheck.Valid, Links().Read(SignedLinksTests.Query(link)).Check);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ExportLinkCheck.Expired, Links().Read(SignedLinksTests.Query(link)).Check);
    }

    [Fact]
    public void A_link_signed_with_another_key_is_invalid_even_when_expired()
    {
        var forged = Links(SignedLinksTests.Links(Convert.ToBase64String(new byte[32]))).Create("tenant-1", "aad-admin")!;

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(ExportLinkCheck.Invalid, Links().Read(SignedLinksTests.Query(forged)).Check);
    }

    [Fact]
    public void Without_a_signing_key_there_is_no_link() =>
        Assert.Null(Links(SignedLinksTests.Links(key: " ")).Create("tenant-1", "aad-admin"));
}
