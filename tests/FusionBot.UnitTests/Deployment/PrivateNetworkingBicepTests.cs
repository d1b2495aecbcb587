using System.Text.Json.Nodes;

namespace FusionBot.UnitTests.Deployment;

/// <summary>infra/main.bicep's <c>privateNetworking</c> switch: storage and Azure OpenAI reachable only from the app.</summary>
public sealed class PrivateNetworkingBicepTests(ArmTemplateFixture arm) : IClassFixture<ArmTemplateFixture>
{
    private const string Private = "[parameters('privateNetworking')]";
    private const string PrivateWithOpenAI = "[and(parameters('privateNetworking'), parameters('deployOpenAI'))]";

    [Fact]
    public void The_switch_is_a_parameter_off_by_default()
    {
        var parameter = arm.Template["parameters"]!["privateNetworking"]!;

        Assert.Equal("bool", (string?)parameter["type"]);
        Assert.False((bool)parameter["defaultValue"]!);
    }

    [Fact]
    public void When_on_storage_and_OpenAI_refuse_public_network_access()
    {
        var storage = Assert.Single(arm.Resources("Microsoft.Storage/storageAccounts"))["properties"]!;
        var openAI = Assert.Single(arm.Resources("Microsoft.CognitiveServices/accounts"))["properties"]!;

        Assert.All([storage, openAI], properties =>
        {
            Assert.Equal("[if(parameters('privateNetworking'), 'Disabled', 'Enabled')]", (string?)properties["publicNetworkAccess"]);
            Assert.Equal("[if(parameters('privateNetworking'), 'Deny', 'Allow')]", (string?)properties["networkAcls"]!["defaultAction"]);
        });
        Assert.Equal("None", (string?)storage["networkAcls"]!["bypass"]);
    }

    [Fact]
    public void When_on_the_web_app_sends_all_outbound_traffic_through_its_delegated_subnet()
    {
        var site = Assert.Single(arm.Resources("Microsoft.Web/sites"))["properties"]!;
        var vnet = Assert.Single(arm.Resources("Microsoft.Network/virtualNetworks"));
        var appSubnet = vnet["properties"]!["subnets"]![0]!;

        Assert.Equal(Private, (string?)vnet["condition"]);
        Assert.StartsWith("[if(parameters('privateNetworking'), reference(resourceId('Microsoft.Network/virtualNetworks'", (string?)site["virtualNetworkSubnetId"], StringComparison.Ordinal);
        Assert.EndsWith(".subnets[0].id, null())]", (string?)site["virtualNetworkSubnetId"], StringComparison.Ordinal);
        Assert.Equal("[if(parameters('privateNetworking'), createObject('allTraffic', true()), null())]", (string?)site["outboundVnetRouting"]);
        Assert.Equal("Microsoft.Web/serverFarms", (string?)appSubnet["properties"]!["delegations"]![0]!["properties"]!["serviceName"]);
    }

    [Fact]
    public void When_on_tables_and_OpenAI_get_private_endpoints_with_private_DNS()
    {
        var endpoints = arm.Resources("Microsoft.Network/privateEndpoints");
        var table = Assert.Single(endpoints, e => GroupId(e) == "table");
        var openAI = Assert.Single(endpoints, e => GroupId(e) == "account");
        var zones = arm.Resources("Microsoft.Network/privateDnsZones");

        Assert.Equal(Private, (string?)table["condition"]);
        Assert.Equal(PrivateWithOpenAI, (string?)openAI["condition"]);
        Assert.Contains("Microsoft.Storage/storageAccounts", LinkedService(table), StringComparison.Ordinal);
        Assert.Contains("Microsoft.CognitiveServices/accounts", LinkedService(openAI), StringComparison.Ordinal);
        Assert.Contains(zones, z => (string?)z["name"] == "[format('privatelink.table.{0}', environment().suffixes.storage)]");
        Assert.Contains(zones, z => (string?)z["name"] == "privatelink.openai.azure.com");
        Assert.Equal(2, arm.Resources("Microsoft.Network/privateDnsZones/virtualNetworkLinks").Count);
        Assert.Equal(2, arm.Resources("Microsoft.Network/privateEndpoints/privateDnsZoneGroups").Count);
    }

    private static string? GroupId(JsonObject endpoint) =>
        (string?)endpoint["properties"]!["privateLinkServiceConnections"]![0]!["properties"]!["groupIds"]![0];

    private static string LinkedService(JsonObject endpoint) =>
        (string?)endpoint["properties"]!["privateLinkServiceConnections"]![0]!["properties"]!["privateLinkServiceId"] ?? "";
}
