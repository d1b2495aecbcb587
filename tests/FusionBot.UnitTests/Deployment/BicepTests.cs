using System.Text.Json.Nodes;

namespace FusionBot.UnitTests.Deployment;

/// <summary>infra/main.bicep compiled and linted by the Bicep CLI offline, and the ARM template it produces.</summary>
public sealed class BicepTests(ArmTemplateFixture arm) : IClassFixture<ArmTemplateFixture>
{
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string CognitiveServicesOpenAIUser = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";
    private const string IdentityClientId = "reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('names').identity), '2024-11-30').clientId";
    private const string IdentityResourceId = "resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('names').identity)";

    [Fact]
    public void BuildsWithoutWarningsOrErrors()
    {
        // bicep exits 0 on warnings, and unknown properties are only warnings: read the diagnostics.
        Assert.Equal(0, arm.Build.ExitCode);
        Assert.Empty(arm.Build.DiagnosticLines);
    }

    [Fact]
    public void LintsWithoutWarningsOrErrors()
    {
        Assert.Equal(0, arm.Lint.ExitCode);
        Assert.Empty(arm.Lint.DiagnosticLines);
    }

    [Fact]
    public async Task DiagnosticsCheckCatchesAnUnknownProperty()
    {
        var copy = Path.Combine(arm.Directory, "misspelt");
        Directory.CreateDirectory(copy);
        var bicep = await File.ReadAllTextAsync(RepositoryRoot.Combine("infra", "main.bicep"));
        await File.WriteAllTextAsync(Path.Combine(copy, "main.bicep"), bicep.Replace("httpsOnly: true", "httpsOnlyy: true", StringComparison.Ordinal));

        var build = await ToolProcess.RunAsync(arm.Bicep, ["build", "--no-restore", "main.bicep", "--stdout"], copy);

        Assert.Equal(0, build.ExitCode);
        Assert.Contains(build.DiagnosticLines, line => line.Contains(": Warning ", StringComparison.Ordinal) && line.Contains("\"httpsOnlyy\"", StringComparison.Ordinal));
    }

    [Fact]
    public void IdentityMayReadAndWriteTablesInTheStorageAccount()
    {
        var assignment = Assert.Single(arm.Resources("Microsoft.Authorization/roleAssignments"), RoleIs(StorageTableDataContributor));

        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts', variables('names').storage)]", (string?)assignment["scope"]);
        Assert.Equal($"[reference({IdentityResourceId}, '2024-11-30').principalId]", (string?)assignment["properties"]!["principalId"]);
        Assert.Equal("ServicePrincipal", (string?)assignment["properties"]!["principalType"]);
    }

    [Fact]
    public void StorageAllowsNoSharedKeyAndOnlyTls12OverHttps()
    {
        var storage = Assert.Single(arm.Resources("Microsoft.Storage/storageAccounts"))["properties"]!;

        Assert.False((bool)storage["allowSharedKeyAccess"]!);
        Assert.Equal("TLS1_2", (string?)storage["minimumTlsVersion"]);
        Assert.True((bool)storage["supportsHttpsTrafficOnly"]!);
        Assert.Single(arm.Resources("Microsoft.Storage/storageAccounts/tableServices"));
    }

    [Fact]
    public void NoKeyIsReadOrPassedAnywhere()
    {
        Assert.DoesNotContain("listKeys", arm.TemplateText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey", arm.TemplateText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ConnectionStrings", arm.TemplateText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("MicrosoftAppPassword", arm.TemplateText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(arm.Template["parameters"]!.AsObject(), p => ((string?)p.Value!["type"])!.StartsWith("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void WebAppRunsDotNet10OverHttpsOnlyAsTheIdentity()
    {
        var site = Assert.Single(arm.Resources("Microsoft.Web/sites"));
        var config = site["properties"]!["siteConfig"]!;

        Assert.Equal("DOTNETCORE|10.0", (string?)config["linuxFxVersion"]);
        Assert.True((bool)site["properties"]!["httpsOnly"]!);
        Assert.Equal("Disabled", (string?)config["ftpsState"]);
        Assert.True((bool)config["alwaysOn"]!);
        Assert.Equal("/readyz", (string?)config["healthCheckPath"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        Assert.Equal([$"[format('{{0}}', {IdentityResourceId})]"], site["identity"]!["userAssignedIdentities"]!.AsObject().Select(p => p.Key));
        Assert.Equal($"[{IdentityResourceId}]", (string?)site["properties"]!["keyVaultReferenceIdentity"]);
        Assert.All(
            arm.Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies"),
            policy => Assert.False((bool)policy["properties"]!["allow"]!));
    }

    [Theory]
    [InlineData("MicrosoftAppType", "'UserAssignedMSI'")]
    [InlineData("MicrosoftAppId", IdentityClientId)]
    [InlineData("AZURE_CLIENT_ID", IdentityClientId)]
    [InlineData("MicrosoftAppTenantId", "tenant().tenantId")]
    [InlineData("ASPNETCORE_ENVIRONMENT", "'Production'")]
    [InlineData("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "'true'")]
    [InlineData("Storage__TableServiceUri", "reference(resourceId('Microsoft.Storage/storageAccounts', variables('names').storage), '2025-06-01').primaryEndpoints.table")]
    [InlineData("OpenAI__Endpoint", "reference(resourceId('Microsoft.CognitiveServices/accounts', variables('names').openAI), '2025-06-01').endpoint")]
    [InlineData("OpenAI__Deployment", "parameters('openAIModelName')")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "reference(resourceId('Microsoft.Insights/components', variables('names').insights), '2020-02-02').ConnectionString")]
    public void AppSettingIsWired(string name, string valueExpression)
    {
        var appSettings = (string?)Assert.Single(arm.Resources("Microsoft.Web/sites"))["properties"]!["siteConfig"]!["appSettings"];

        Assert.Contains($"createObject('name', '{name}', 'value', {valueExpression})", appSettings, StringComparison.Ordinal);
    }

    [Fact]
    public void BotAuthenticatesAsTheUserAssignedIdentityAndCallsTheWebApp()
    {
        var bot = Assert.Single(arm.Resources("Microsoft.BotService/botServices"));
        var properties = bot["properties"]!;

        Assert.Equal("azurebot", (string?)bot["kind"]);
        Assert.Equal("UserAssignedMSI", (string?)properties["msaAppType"]);
        Assert.Equal($"[{IdentityClientId}]", (string?)properties["msaAppId"]);
        Assert.Equal($"[{IdentityResourceId}]", (string?)properties["msaAppMSIResourceId"]);
        Assert.Equal("[tenant().tenantId]", (string?)properties["msaAppTenantId"]);
        Assert.Equal("[format('https://{0}/api/messages', reference(resourceId('Microsoft.Web/sites', variables('names').webApp), '2025-03-01').defaultHostName)]", (string?)properties["endpoint"]);
    }

    [Fact]
    public void BotIsEnabledInTeams()
    {
        var channel = Assert.Single(arm.Resources("Microsoft.BotService/botServices/channels"));

        Assert.Equal("MsTeamsChannel", (string?)channel["properties"]!["channelName"]);
        Assert.True((bool)channel["properties"]!["properties"]!["isEnabled"]!);
    }

    [Fact]
    public void OpenAIIsOptionalKeylessAndUsableByTheIdentity()
    {
        var account = Assert.Single(arm.Resources("Microsoft.CognitiveServices/accounts"));
        var deployment = Assert.Single(arm.Resources("Microsoft.CognitiveServices/accounts/deployments"));
        var role = Assert.Single(arm.Resources("Microsoft.Authorization/roleAssignments"), RoleIs(CognitiveServicesOpenAIUser));

        Assert.Equal("OpenAI", (string?)account["kind"]);
        Assert.True((bool)account["properties"]!["disableLocalAuth"]!);
        Assert.All([account, deployment, role], r => Assert.Equal("[parameters('deployOpenAI')]", (string?)r["condition"]));
        Assert.Equal(JsonValue.Create(false), arm.Template["parameters"]!["deployOpenAI"]!["defaultValue"], JsonNode.DeepEquals);
    }

    [Fact]
    public void MonitoringIsOptional()
    {
        var workspace = Assert.Single(arm.Resources("Microsoft.OperationalInsights/workspaces"));
        var insights = Assert.Single(arm.Resources("Microsoft.Insights/components"));

        Assert.All([workspace, insights], r => Assert.Equal("[parameters('deployMonitoring')]", (string?)r["condition"]));
    }

    [Fact]
    public void OutputsWhatPackagingTheAppNeeds()
    {
        var outputs = arm.Template["outputs"]!.AsObject();

        Assert.Equal($"[{IdentityClientId}]", (string?)outputs["botId"]!["value"]);
        Assert.Equal($"[{IdentityClientId}]", (string?)outputs["identityClientId"]!["value"]);
        Assert.Equal("[reference(resourceId('Microsoft.Web/sites', variables('names').webApp), '2025-03-01').defaultHostName]", (string?)outputs["webAppHostName"]!["value"]);
    }

    [Fact]
    public async Task ParametersFileSetsOnlyDeclaredParametersWithMatchingTypes()
    {
        var file = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryRoot.Combine("infra", "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = arm.Template["parameters"]!.AsObject();

        Assert.NotEmpty(file);
        foreach (var (name, parameter) in file)
        {
            Assert.True(declared.ContainsKey(name), $"main.parameters.json sets '{name}', which main.bicep does not declare.");
            var expected = (string?)declared[name]!["type"] switch
            {
                "bool" => System.Text.Json.JsonValueKind.True,
                "int" => System.Text.Json.JsonValueKind.Number,
                _ => System.Text.Json.JsonValueKind.String,
            };
            var actual = parameter!["value"]!.GetValueKind();
            Assert.True(actual == expected || (expected == System.Text.Json.JsonValueKind.True && actual == System.Text.Json.JsonValueKind.False), $"'{name}' is {actual}.");
            var allowed = declared[name]!["allowedValues"]?.AsArray();
            Assert.True(allowed is null || allowed.Any(v => JsonNode.DeepEquals(v, parameter["value"])), $"'{name}' is not an allowed value.");
        }
    }

    /// <summary>Matches role assignments of a built-in role, whose id the template keeps in its <c>roles</c> variable.</summary>
    private Predicate<JsonObject> RoleIs(string roleDefinitionId)
    {
        var variable = arm.Template["variables"]!["roles"]!.AsObject().Single(role => (string?)role.Value == roleDefinitionId).Key;
        var expected = $"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roles').{variable})]";
        return assignment => (string?)assignment["properties"]!["roleDefinitionId"] == expected;
    }
}
