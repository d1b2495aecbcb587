using FusionBot.Features.Classification;
using FusionBot.Features.Inventory;
using FusionBot.PowerPlatform;
using FusionBot.Requests;

namespace FusionBot.UnitTests.Inventory;

public sealed class EnvironmentCatalogueTests
{
    private static readonly DlpPolicy Baseline = Policy("Baseline", "ExceptEnvironments", ["dev"], DlpPolicy.NonBusiness,
        ("shared_sharepointonline", DlpPolicy.Business), ("shared_sql", DlpPolicy.NonBusiness), ("shared_dropbox", DlpPolicy.Blocked));

    private static readonly DlpPolicy Lockdown = Policy("Lockdown", "OnlyEnvironments", ["prod"], DlpPolicy.Blocked,
        ("shared_sharepointonline", DlpPolicy.Business), ("shared_sql", DlpPolicy.Business)) with { CustomConnectors = DlpPolicy.Blocked };

    private static DlpPolicy Policy(string name, string type, string[] environments, string defaultGroup, params (string Api, string Group)[] connectors) =>
        new(name, name, type, environments, defaultGroup, connectors.ToDictionary(c => c.Api, c => new DlpConnector(c.Api, c.Group)), null);

    private static EffectiveConnector Classify(string environment, string api, bool custom = false) =>
        new EnvironmentCatalogue(environment, [Baseline, Lockdown], ConnectorCatalogue.Default).Classify(new PlatformConnectorUse(api, api, custom));

    [Theory]
    [InlineData("default", "shared_sharepointonline", ConnectorStatus.Approved, "business in data policy 'Baseline'")]
    [InlineData("default", "shared_sql", ConnectorStatus.NeedsReview, "non-business in data policy 'Baseline'")]
    [InlineData("default", "shared_dropbox", ConnectorStatus.Blocked, "blocked by data policy 'Baseline'")]
    [InlineData("default", "shared_planner", ConnectorStatus.NeedsReview, "non-business in data policy 'Baseline'")]
    [InlineData("prod", "shared_sql", ConnectorStatus.NeedsReview, "non-business in data policy 'Baseline'")]
    [InlineData("prod", "shared_planner", ConnectorStatus.Blocked, "blocked by data policy 'Lockdown'")]
    [InlineData("prod", "shared_sharepointonline", ConnectorStatus.Approved, "business in data policy 'Baseline'")]
    [InlineData("dev", "shared_sql", ConnectorStatus.NeedsReview, "needs review (CoE catalogue)")]
    [InlineData("dev", "shared_sharepointonline", ConnectorStatus.Approved, "approved (CoE catalogue)")]
    [InlineData("dev", "shared_planner", ConnectorStatus.NeedsReview, "not in any data policy or the catalogue")]
    public void The_strictest_group_of_the_policies_in_force_decides(string environment, string api, ConnectorStatus status, string reason)
    {
        var connector = Classify(environment, api);

        Assert.Equal((status, reason), (connector.Status, connector.Reason));
    }

    [Fact]
    public void The_configured_catalogue_overrides_a_policy_only_where_it_is_stricter()
    {
        // Gmail: non-business in the baseline, blocked in the CoE's catalogue.
        Assert.Equal((ConnectorStatus.Blocked, "blocked by the CoE; use Office 365 Outlook instead"), (Classify("default", "shared_gmail").Status, Classify("default", "shared_gmail").Reason));
        // SQL Server: business under the lockdown alone would be approved; the catalogue asks for a review.
        var lockdownOnly = new EnvironmentCatalogue("prod", [Lockdown], ConnectorCatalogue.Default);
        Assert.Equal(ConnectorStatus.NeedsReview, lockdownOnly.Classify(new PlatformConnectorUse("shared_sql", "SQL Server", false)).Status);
        // Dropbox is blocked by both: the policy's reason stands.
        Assert.Equal("blocked by data policy 'Baseline'", Classify("default", "shared_dropbox").Reason);
    }

    [Fact]
    public void Custom_connectors_and_HTTP_are_never_approved_without_a_review()
    {
        var businessByDefault = Policy("Open", "AllEnvironments", [], DlpPolicy.Business);
        var catalogue = new EnvironmentCatalogue("any", [businessByDefault], new ConnectorCatalogue([]));

        Assert.Equal((ConnectorStatus.NeedsReview, "a custom connector: always reviewed"),
            (catalogue.Classify(new PlatformConnectorUse("shared_contoso-5f", "Contoso API", true)).Status, catalogue.Classify(new PlatformConnectorUse("shared_contoso-5f", "Contoso API", true)).Reason));
        Assert.Equal(ConnectorStatus.NeedsReview, catalogue.Classify(new PlatformConnectorUse("http", "HTTP", false)).Status);
        Assert.Equal(ConnectorStatus.Blocked, Classify("prod", "shared_contoso-5f", custom: true).Status);
    }

    [Fact]
    public void A_solutions_connectors_become_intake_data_sources()
    {
        Assert.Equal(["sharepoint", DataSourceKinds.ExternalApi, DataSourceKinds.EnterpriseSystem, "shared_planner"], EnvironmentCatalogue.DataSources(
        [
            new("shared_sharepointonline", "SharePoint", false), new("http", "HTTP", false), new("shared_contoso", "Contoso", true),
            new("shared_salesforce", "Salesforce", false), new("shared_planner", "Planner", false),
        ]));
        Assert.Equal([DataSourceKinds.None], EnvironmentCatalogue.DataSources([]));
    }
}
