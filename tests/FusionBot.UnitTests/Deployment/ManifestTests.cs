using System.Text.Json.Nodes;

namespace FusionBot.UnitTests.Deployment;

/// <summary>The Teams app package as scripts/package-app.sh builds it, checked offline against the bundled schema.</summary>
public sealed class ManifestTests(AppPackageFixture package) : IClassFixture<AppPackageFixture>
{
    [Fact]
    public void PackageHoldsTheManifestAndBothIconsAtItsRoot()
    {
        Assert.Equal(["color.png", "manifest.json", "outline.png"], package.Entries.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PackagedManifestHasNoSchemaOrIconErrors()
    {
        var validation = await ToolProcess.RunAsync("node", ["manifest/validate.js", package.ExtractedDirectory]);

        Assert.True(validation.ExitCode == 0, validation.Output);
        Assert.Contains("manifest 1.22: 0 schema errors", validation.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("icons: 0 problems", validation.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestUsesTheBundledTeamsSchemaOfVersion122()
    {
        Assert.Equal("https://developer.microsoft.com/en-us/json-schemas/teams/v1.22/MicrosoftTeams.schema.json", (string?)package.Manifest["$schema"]);
        Assert.Equal("1.22", (string?)package.Manifest["manifestVersion"]);
        var bundled = RepositoryRoot.Combine("tools", "node_modules", "@microsoft", "app-manifest", "build", "json-schemas", "teams", "v1.22", "MicrosoftTeams.schema.json");
        Assert.True(File.Exists(bundled), $"{bundled} is missing: validation would need the network.");
    }

    [Fact]
    public void IdsAndDomainComeFromTheEnvironment()
    {
        var bot = Bot();

        Assert.Equal(AppPackageFixture.TeamsAppId, (string?)package.Manifest["id"]);
        Assert.Equal(AppPackageFixture.MicrosoftAppId, (string?)bot["botId"]);
        Assert.True(Guid.TryParse((string?)bot["botId"], out _));
        Assert.Equal([AppPackageFixture.BotDomain], package.Manifest["validDomains"]!.AsArray().Select(d => (string?)d));
        Assert.StartsWith($"https://{AppPackageFixture.BotDomain}/", (string?)package.Manifest["developer"]!["privacyUrl"], StringComparison.Ordinal);
        Assert.DoesNotContain("${{", package.Manifest.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BotIsConversationalInPersonalAndTeamScopesWithoutFiles()
    {
        var bot = Bot();

        Assert.Equal(["personal", "team"], bot["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.False((bool)bot["supportsFiles"]!);
        Assert.False((bool)bot["isNotificationOnly"]!);
    }

    [Fact]
    public void TeamsConsentToReadingTheirChannelMessagesSoALostReviewCardPostCanBeFound()
    {
        Assert.Equal(AppPackageFixture.MicrosoftAppId, (string?)package.Manifest["webApplicationInfo"]!["id"]);
        var permission = Assert.Single(package.Manifest["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray());
        Assert.Equal(("ChannelMessage.Read.Group", "Application"), ((string?)permission!["name"], (string?)permission["type"]));
    }

    [Theory]
    [InlineData("personal", new[] { "new request", "my requests", "status", "withdraw", "cancel", "help", "subscribe digest", "digest preview" })]
    [InlineData("team", new[] { "register tier 2", "register community", "unregister", "channels", "help" })]
    public void EveryScopeListsItsCommands(string scope, string[] titles)
    {
        var list = Bot()["commandLists"]!.AsArray()
            .Single(l => l!["scopes"]!.AsArray().Any(s => (string?)s == scope))!;
        var commands = list["commands"]!.AsArray().Select(c => c!.AsObject()).ToList();

        Assert.Equal(titles, commands.Select(c => (string?)c["title"]));
        Assert.All(commands, c => Assert.False(string.IsNullOrWhiteSpace((string?)c["description"])));
    }

    [Fact]
    public void ColorIconIs192PixelsSquare()
    {
        var color = package.Icon("color");

        Assert.Equal((192, 192), (color.Width, color.Height));
    }

    [Fact]
    public void OutlineIconIs32PixelsWhiteOnTransparent()
    {
        var outline = package.Icon("outline");
        var pixels = outline.EnumeratePixels().ToList();

        Assert.Equal((32, 32), (outline.Width, outline.Height));
        Assert.True(outline.HasAlpha);
        Assert.Contains(pixels, p => p[^1] == 0);
        Assert.Contains(pixels, p => p[^1] == 255);
        Assert.All(pixels.Where(p => p[^1] > 0), p => Assert.All(p[..^1], sample => Assert.Equal(255, sample)));
    }

    [Fact]
    public async Task ValidatorReportsEverySchemaAndIconProblem()
    {
        var broken = Path.Combine(package.Directory, "broken");
        Directory.CreateDirectory(broken);
        var manifest = package.Manifest.DeepClone().AsObject();
        manifest["bots"]![0]!["botId"] = "not-a-guid";
        manifest.Remove("description");
        await File.WriteAllTextAsync(Path.Combine(broken, "manifest.json"), manifest.ToJsonString());
        // An outline that is the full-colour icon: wrong size, opaque, not white.
        File.Copy(Path.Combine(package.ExtractedDirectory, "color.png"), Path.Combine(broken, "color.png"));
        File.Copy(Path.Combine(package.ExtractedDirectory, "color.png"), Path.Combine(broken, "outline.png"));

        var validation = await ToolProcess.RunAsync("node", ["manifest/validate.js", broken]);

        Assert.Equal(1, validation.ExitCode);
        Assert.Contains("/bots/0/botId must match pattern", validation.StandardError, StringComparison.Ordinal);
        Assert.Contains("must have required property 'description'", validation.StandardError, StringComparison.Ordinal);
        Assert.Contains("icons.outline: must be 32x32, is 192x192", validation.StandardError, StringComparison.Ordinal);
        Assert.Contains("icons.outline: has no transparent pixel", validation.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, AppPackageFixture.MicrosoftAppId, AppPackageFixture.BotDomain, "TEAMS_APP_ID is not set")]
    [InlineData(AppPackageFixture.TeamsAppId, null, AppPackageFixture.BotDomain, "MICROSOFT_APP_ID is not set")]
    [InlineData(AppPackageFixture.TeamsAppId, AppPackageFixture.MicrosoftAppId, null, "BOT_DOMAIN is not set")]
    [InlineData(AppPackageFixture.TeamsAppId, "fusionbot", AppPackageFixture.BotDomain, "MICROSOFT_APP_ID must be a GUID")]
    [InlineData(AppPackageFixture.TeamsAppId, AppPackageFixture.MicrosoftAppId, "https://fusionbot.example.com/api", "BOT_DOMAIN must be a bare host name")]
    public async Task PackagingRefusesMissingOrMalformedSettings(string? teamsAppId, string? microsoftAppId, string? botDomain, string message)
    {
        var output = Path.Combine(package.Directory, "refused-" + Guid.NewGuid().ToString("N"));

        var packaging = await ToolProcess.RunAsync(
            "bash", ["scripts/package-app.sh", output], environment: AppPackageFixture.Environment(teamsAppId, microsoftAppId, botDomain));

        Assert.NotEqual(0, packaging.ExitCode);
        Assert.Contains(message, packaging.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "appPackage.zip")));
    }

    [Fact]
    public async Task IconGeneratorReproducesTheCommittedIcons()
    {
        var regenerated = Path.Combine(package.Directory, "regenerated");
        Directory.CreateDirectory(regenerated);

        var generation = await ToolProcess.RunAsync("python3", ["manifest/icons/generate.py", regenerated]);

        Assert.True(generation.ExitCode == 0, generation.Output);
        foreach (var icon in new[] { "color.png", "outline.png" })
        {
            var committed = PngImage.Decode(await File.ReadAllBytesAsync(RepositoryRoot.Combine("manifest", "icons", icon)));
            var fresh = PngImage.Decode(await File.ReadAllBytesAsync(Path.Combine(regenerated, icon)));
            Assert.Equal(committed.EnumeratePixels().SelectMany(p => p), fresh.EnumeratePixels().SelectMany(p => p));
        }
    }

    private JsonObject Bot() => package.Manifest["bots"]!.AsArray().Single()!.AsObject();
}
