namespace FusionBot.UnitTests.Deployment;

/// <summary>
/// The npm tools and the Bicep CLI the deployment checks need. They are installed by scripts/bootstrap.sh; when a
/// checkout has not run it yet, the first test that needs them runs it (once per test run).
/// </summary>
public static class DeploymentTools
{
    private const string BicepVersion = "0.49.2";

    private static readonly Lazy<Task<string>> Bicep = new(InstallAsync);

    /// <summary>Ensures the tools are installed and returns the path of the bicep executable.</summary>
    public static Task<string> EnsureInstalledAsync() => Bicep.Value;

    private static async Task<string> InstallAsync()
    {
        var bicep = Path.Combine(await GlobalPackagesFolderAsync(), "azure.bicep.commandline.linux-x64", BicepVersion, "tools", "bicep");
        var appManifest = RepositoryRoot.Combine("tools", "node_modules", "@microsoft", "app-manifest", "package.json");
        if (!File.Exists(bicep) || !File.Exists(appManifest))
        {
            var bootstrap = await ToolProcess.RunAsync("bash", ["scripts/bootstrap.sh"]);
            if (bootstrap.ExitCode != 0)
            {
                throw new InvalidOperationException($"scripts/bootstrap.sh failed ({bootstrap.ExitCode}):\n{bootstrap.Output}");
            }
        }

        return bicep;
    }

    private static async Task<string> GlobalPackagesFolderAsync()
    {
        var locals = await ToolProcess.RunAsync("dotnet", ["nuget", "locals", "global-packages", "--list"]);
        const string prefix = "global-packages: ";
        var line = locals.StandardOutput.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line?[prefix.Length..]
            ?? throw new InvalidOperationException($"dotnet nuget locals printed no global-packages folder:\n{locals.Output}");
    }
}
