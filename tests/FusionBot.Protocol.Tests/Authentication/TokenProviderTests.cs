using FusionBot.Protocol.Authentication;
using FusionBot.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.Protocol.Tests.Authentication;

public sealed class TokenProviderTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private FakeBotIdentity identity = null!;

    public async Task InitializeAsync() => identity = await FakeBotIdentity.StartAsync();

    public async Task DisposeAsync() => await identity.DisposeAsync();

    [Fact]
    public async Task The_token_is_reused_until_five_minutes_before_it_expires()
    {
        identity.TokenLifetimeSeconds = 3600;
        await using var services = ProtocolServices.Create(identity.Configuration, clock);
        var provider = services.GetRequiredService<IBotTokenProvider>();

        var first = await provider.GetTokenAsync();
        clock.Advance(TimeSpan.FromMinutes(54));
        var stillCached = await provider.GetTokenAsync();
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var renewed = await provider.GetTokenAsync();

        Assert.Equal(identity.IssuedTokens[0], first);
        Assert.Equal(first, stillCached);
        Assert.Equal(identity.IssuedTokens[1], renewed);
        Assert.Equal(2, identity.TokenRequestCount);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_token_request()
    {
        await using var services = ProtocolServices.Create(identity.Configuration, clock);
        var provider = services.GetRequiredService<IBotTokenProvider>();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => provider.GetTokenAsync().AsTask()));

        Assert.Equal(1, identity.TokenRequestCount);
        Assert.All(tokens, token => Assert.Equal(identity.IssuedTokens[0], token));
    }

    [Fact]
    public async Task A_rejected_secret_fails_without_revealing_it_and_the_next_call_tries_again()
    {
        var configuration = new Dictionary<string, string?>(identity.Configuration) { ["MicrosoftAppPassword"] = "wrong-secret-value" };
        await using var services = ProtocolServices.Create(configuration, clock);
        var provider = services.GetRequiredService<IBotTokenProvider>();

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => provider.GetTokenAsync().AsTask());
        await Assert.ThrowsAsync<HttpRequestException>(() => provider.GetTokenAsync().AsTask());

        Assert.DoesNotContain("wrong-secret-value", failure.Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, failure.StatusCode);
        Assert.Equal(2, identity.TokenRequestCount);
        Assert.Empty(identity.IssuedTokens);
    }

    [Fact]
    public async Task Without_an_app_id_no_token_is_sent()
    {
        await using var services = ProtocolServices.Create([]);

        var token = await services.GetRequiredService<IBotTokenProvider>().GetTokenAsync();

        Assert.Null(token);
    }
}
