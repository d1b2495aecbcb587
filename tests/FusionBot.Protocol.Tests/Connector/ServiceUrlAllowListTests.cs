using FusionBot.Protocol.Authentication;
using FusionBot.Protocol.Connector;

namespace FusionBot.Protocol.Tests.Connector;

public class ServiceUrlAllowListTests
{
    private static readonly ServiceUrlAllowList Authenticated = Create(authenticated: true,
        "https://smba.infra.gov.teams.microsoft.us/teams", "http://127.0.0.1:5005/");

    [Theory]
    [InlineData("https://smba.trafficmanager.net/emea/", true)]
    [InlineData("https://SMBA.trafficmanager.net/amer/72f988bf-0000/", true)]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/gcc", true)]
    [InlineData("https://smba.infra.gov.teams.microsoft.us/teams/", true)]
    [InlineData("https://smba.infra.gov.teams.microsoft.us/teams/v3/conversations", true)]
    [InlineData("http://127.0.0.1:5005/", true)]
    [InlineData("http://127.0.0.1:5005/sub/path", true)]
    [InlineData("http://smba.trafficmanager.net/emea/", false)]
    [InlineData("https://smba.trafficmanager.net:8443/emea/", false)]
    [InlineData("https://smba.trafficmanager.net.attacker.example/emea/", false)]
    [InlineData("https://attacker.example/smba.trafficmanager.net/", false)]
    [InlineData("https://user@smba.trafficmanager.net/emea/", false)]
    [InlineData("https://smba.infra.gov.teams.microsoft.us/teams-evil/", false)]
    [InlineData("https://smba.infra.gov.teams.microsoft.us/", false)]
    [InlineData("http://127.0.0.1:5006/", false)]
    [InlineData("http://localhost:5005/", false)]
    [InlineData("ftp://smba.trafficmanager.net/", false)]
    [InlineData("/relative/path", false)]
    [InlineData("", false)]
    public void Only_public_teams_hosts_over_https_and_listed_base_urls_are_allowed(string serviceUrl, bool allowed) =>
        Assert.Equal(allowed, Authenticated.IsAllowed(serviceUrl));

    [Theory]
    [InlineData("http://127.0.0.1:3978/", true)]
    [InlineData("http://localhost:56150/", true)]
    [InlineData("https://attacker.example/", false)]
    public void Without_authentication_loopback_is_allowed_too(string serviceUrl, bool allowed) =>
        Assert.Equal(allowed, Create(authenticated: false).IsAllowed(serviceUrl));

    [Fact]
    public void With_authentication_loopback_must_be_listed() =>
        Assert.False(Create(authenticated: true).IsAllowed("http://127.0.0.1:3978/"));

    private static ServiceUrlAllowList Create(bool authenticated, params string[] listed)
    {
        var options = new BotFrameworkOptions { MicrosoftAppId = authenticated ? "app-1" : null };
        foreach (var url in listed)
        {
            options.AllowedServiceUrls.Add(url);
        }

        return new ServiceUrlAllowList(options);
    }
}
