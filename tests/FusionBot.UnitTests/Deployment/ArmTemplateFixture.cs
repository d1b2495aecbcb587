using System.Text.Json.Nodes;

namespace FusionBot.UnitTests.Deployment;

/// <summary>Builds and lints infra/main.bicep once, offline, and parses the ARM template it compiles to.</summary>
public sealed class ArmTemplateFixture : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "fusionbot-arm-" + Guid.NewGuid().ToString("N"));

    public string Bicep { get; private set; } = null!;

    public ToolResult Build { get; private set; } = null!;

    public ToolResult Lint { get; private set; } = null!;

    public string TemplateText { get; private set; } = null!;

    public JsonObject Template { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Bicep = await DeploymentTools.EnsureInstalledAsync();
        Build = await ToolProcess.RunAsync(Bicep, ["build", "--no-restore", "infra/main.bicep", "--outdir", Directory]);
        Lint = await ToolProcess.RunAsync(Bicep, ["lint", "--no-restore", "infra/main.bicep"]);
        var template = Path.Combine(Directory, "main.json");
        if (Build.ExitCode != 0 || !File.Exists(template))
        {
            throw new InvalidOperationException($"bicep build failed ({Build.ExitCode}):\n{Build.Output}");
        }

        TemplateText = await File.ReadAllTextAsync(template);
        Template = JsonNode.Parse(TemplateText)!.AsObject();
    }

    /// <summary>The resources of one type (the template lists them as an array, or by symbolic name in language version 2).</summary>
    public IReadOnlyList<JsonObject> Resources(string type)
    {
        var resources = Template["resources"]!;
        var all = resources is JsonArray array ? array : resources.AsObject().Select(pair => pair.Value);
        return all.Select(r => r!.AsObject()).Where(r => (string?)r["type"] == type).ToList();
    }

    public Task DisposeAsync()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}
