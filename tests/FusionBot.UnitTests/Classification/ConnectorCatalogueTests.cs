using FusionBot.Features.Classification;
using FusionBot.Requests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FusionBot.UnitTests.Classification;

public sealed class ConnectorCatalogueTests
{
    [Theory]
    [InlineData("sharepoint", ConnectorStatus.Approved, true, "SharePoint is an approved connector.")]
    [InlineData("Excel-Online", ConnectorStatus.Approved, true, "Excel Online (Business) is an approved connector.")]
    [InlineData("http", ConnectorStatus.NeedsReview, true, "HTTP needs review before use.")]
    [InlineData("dropbox", ConnectorStatus.Blocked, false, "Dropbox is blocked by policy; use OneDrive for Business instead.")]
    [InlineData("gmail", ConnectorStatus.Blocked, false, "Gmail is blocked by policy; use Office 365 Outlook instead.")]
    [InlineData("acme-crm", ConnectorStatus.NeedsReview, true, "acme-crm is not in the connector catalogue, so it needs review.")]
    public void ChecksAConnectorAgainstTheDefaultCatalogue(string id, ConnectorStatus status, bool allowed, string message)
    {
        var check = ConnectorCatalogue.Default.Check(id);

        Assert.Equal(status, check.Connector.Status);
        Assert.Equal(allowed, check.IsAllowed);
        Assert.Equal(message, check.Message);
    }

    [Fact]
    public void TheCatalogueComesFromTheConnectorsSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectors:0:Id"] = "salesforce",
            ["Connectors:0:Name"] = "Salesforce",
            ["Connectors:0:Status"] = "NeedsReview",
            ["Connectors:1:Id"] = "box",
            ["Connectors:1:Name"] = "Box",
            ["Connectors:1:Status"] = "Blocked",
            ["Connectors:1:Alternative"] = "Salesforce",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddFusionBotClassification().BuildServiceProvider();

        var catalogue = services.GetRequiredService<ConnectorCatalogue>();
        var classification = services.GetRequiredService<TierClassifier>().Classify(new IntakeAnswers
        {
            Audience = Audience.MyTeam, ExpectedUsers = 3, DataSources = ["salesforce", "sharepoint"],
            Sensitivity = DataSensitivity.Public, CustomCode = CustomCode.None,
        });

        Assert.Equal(["salesforce", "box"], catalogue.Connectors.Select(c => c.Id));
        Assert.Equal("Box is blocked by policy; use Salesforce instead.", catalogue.Check("box").Message);
        Assert.Equal(
            ["Tier 3: uses connectors that need review: Salesforce", "Tier 3: uses connectors not in the catalogue, so they need review: sharepoint"],
            classification.Reasons);
    }

    [Fact]
    public void WithoutAConnectorsSectionTheDefaultCatalogueIsUsed()
    {
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).AddFusionBotClassification().BuildServiceProvider();

        Assert.Same(ConnectorCatalogue.Default, services.GetRequiredService<ConnectorCatalogue>());
    }

    [Fact]
    public void ACatalogueWithDuplicateOrNamelessEntriesIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new ConnectorCatalogue(
            [new() { Id = "a", Name = "A" }, new() { Id = "A", Name = "Also A" }]));
        Assert.Throws<ArgumentException>(() => new ConnectorCatalogue([new() { Id = "a", Name = "" }]));
    }

    [Theory]
    [InlineData("Connectors:1:Alternative=Box", "Connectors:1:Alternative 'Box' must be the Id or Name of a connector in 'Connectors' that is not blocked, so makers can pick it instead.")]
    [InlineData("Connectors:1:Alternative=OneDrive", "Connectors:1:Alternative 'OneDrive' must be the Id or Name of a connector in 'Connectors' that is not blocked, so makers can pick it instead.")]
    [InlineData("Connectors:0:Id=box", "Connectors:1:Id 'box' appears more than once.")]
    [InlineData("Connectors:0:Name=", "Connectors:0 needs an Id and a Name.")]
    public void A_bad_catalogue_stops_the_app_at_start_naming_the_key(string setting, string failure)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Connectors:0:Id"] = "salesforce",
            ["Connectors:0:Name"] = "Salesforce",
            ["Connectors:0:Status"] = "Approved",
            ["Connectors:1:Id"] = "box",
            ["Connectors:1:Name"] = "Box",
            ["Connectors:1:Status"] = "Blocked",
            ["Connectors:1:Alternative"] = "salesforce",
        };
        var (key, value) = (setting.Split('=')[0], setting.Split('=')[1]);
        settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddFusionBotClassification().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal([failure], error.Failures);
    }
}
