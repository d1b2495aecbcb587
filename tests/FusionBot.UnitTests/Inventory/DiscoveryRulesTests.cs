using FusionBot.Features.Classification;
using FusionBot.Features.Inventory;
using FusionBot.PowerPlatform;
using FusionBot.Requests;

namespace FusionBot.UnitTests.Inventory;

public sealed class DiscoveryRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly PowerPlatformOptions Options = new() { FlagSharedWith = 25, GracePeriod = TimeSpan.FromDays(30) };
    private static readonly PlatformEnvironment Default = new("Default-1", "Contoso (default)", true, "Default", null);
    private static readonly PlatformEnvironment Production = new("prod", "Contoso Production", false, "Production", null);

    private static readonly EnvironmentCatalogue Catalogue = new("Default-1",
        [new DlpPolicy("p", "Baseline", "AllEnvironments", [], DlpPolicy.Business,
            new Dictionary<string, DlpConnector> { ["shared_twitter"] = new("X", DlpPolicy.NonBusiness) }, null)],
        new ConnectorCatalogue([]));

    private static PlatformSolution App(int users = 0, bool everyone = false, int ageDays = 60, params string[] connectors) => new()
    {
        Kind = SolutionKind.App,
        EnvironmentName = "Default-1",
        Id = "a-1",
        DisplayName = "App",
        CreatedAt = Now.AddDays(-ageDays),
        SharedUsers = users,
        SharedWithEveryone = everyone,
        Connectors = [.. connectors.Select(c => new PlatformConnectorUse(c, c == "shared_twitter" ? "X" : c, c.StartsWith("custom", StringComparison.Ordinal)))],
    };

    private static IReadOnlyList<string> Reasons(PlatformSolution solution, PlatformEnvironment? environment = null) =>
        DiscoveryRules.Reasons(solution, environment ?? Default, Catalogue, Options, Now);

    [Fact]
    public void A_small_app_with_business_connectors_outside_production_is_left_alone() =>
        Assert.Empty(Reasons(App(users: 24, connectors: "shared_sharepointonline")));

    [Fact]
    public void Each_rule_that_fires_is_a_reason()
    {
        Assert.Equal(["it is shared with 25 people and 0 groups"], Reasons(App(users: 25)));
        Assert.Equal(["it is shared with everyone in the organisation"], Reasons(App(everyone: true)));
        Assert.Equal(["it uses X (non-business in data policy 'Baseline')"], Reasons(App(connectors: "shared_twitter")));
        Assert.Equal(["it uses custom-api (a custom connector: always reviewed)"], Reasons(App(connectors: "custom-api")));
        Assert.Equal(["it lives in the production environment Contoso Production"], Reasons(App(), Production));
        Assert.Equal(3, Reasons(App(users: 300, connectors: "shared_twitter"), Production).Count);
    }

    [Fact]
    public void Nothing_is_flagged_within_the_grace_period() =>
        Assert.Empty(Reasons(App(users: 500, ageDays: 29, connectors: "shared_twitter"), Production));
}
