using System.Reflection;

namespace FusionBot.EndToEndTests.Infrastructure;

/// <summary>Where the repository, the built bot and the test artefacts are (paths recorded at build time).</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string FusionBotDll { get; } = Metadata("FusionBotDll");

    public static string ToolsModules { get; } = Path.Combine(RepositoryRoot, "tools", "node_modules");

    /// <summary>Screenshots and process logs: $E2E_ARTIFACTS, or TestResults/e2e beside the test assembly.</summary>
    public static string Artifacts { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("E2E_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "e2e")).FullName;

    /// <summary>
    /// An empty folder under <see cref="Artifacts"/> for one test's screenshots and logs, so that tests do not
    /// overwrite each other's and an earlier run's files do not mix with this run's.
    /// </summary>
    public static string ArtifactsFor(string test)
    {
        var folder = Path.Combine(Artifacts, test);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Directory.CreateDirectory(folder).FullName;
    }

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key} metadata.");
}
