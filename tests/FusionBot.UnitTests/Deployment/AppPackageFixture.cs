using System.IO.Compression;
using System.Text.Json.Nodes;

namespace FusionBot.UnitTests.Deployment;

/// <summary>Runs scripts/package-app.sh once with test ids into a temporary folder and opens the resulting zip.</summary>
public sealed class AppPackageFixture : IAsyncLifetime
{
    public const string TeamsAppId = "5d3c1f0e-8a47-4b1c-9e2d-7f6a5b4c3d21";
    public const string MicrosoftAppId = "0b6f9a2e-3c41-4d58-a7e9-1f2b3c4d5e6f";
    public const string BotDomain = "fusionbot-test.azurewebsites.net";

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "fusionbot-package-" + Guid.NewGuid().ToString("N"));

    public ToolResult Packaging { get; private set; } = null!;

    public IReadOnlyList<string> Entries { get; private set; } = [];

    public JsonObject Manifest { get; private set; } = null!;

    public string ExtractedDirectory => Path.Combine(Directory, "extracted");

    public static Dictionary<string, string?> Environment(string? teamsAppId = TeamsAppId, string? microsoftAppId = MicrosoftAppId, string? botDomain = BotDomain) => new()
    {
        ["TEAMS_APP_ID"] = teamsAppId,
        ["MICROSOFT_APP_ID"] = microsoftAppId,
        ["BOT_DOMAIN"] = botDomain,
    };

    public async Task InitializeAsync()
    {
        await DeploymentTools.EnsureInstalledAsync();
        Packaging = await ToolProcess.RunAsync("bash", ["scripts/package-app.sh", Directory], environment: Environment());
        var package = Path.Combine(Directory, "appPackage.zip");
        if (Packaging.ExitCode != 0 || !File.Exists(package))
        {
            throw new InvalidOperationException($"scripts/package-app.sh failed ({Packaging.ExitCode}):\n{Packaging.Output}");
        }

        using (var zip = ZipFile.OpenRead(package))
        {
            Entries = zip.Entries.Select(entry => entry.FullName).ToList();
        }

        ZipFile.ExtractToDirectory(package, ExtractedDirectory);
        Manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(ExtractedDirectory, "manifest.json")))!.AsObject();
    }

    public PngImage Icon(string kind) =>
        PngImage.Decode(File.ReadAllBytes(Path.Combine(ExtractedDirectory, (string)Manifest["icons"]![kind]!)));

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
