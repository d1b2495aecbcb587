namespace FusionBot.EndToEndTests.Infrastructure;

/// <summary>
/// What the end-to-end tests need besides the .NET SDK. scripts/bootstrap.sh (run by scripts/test.sh) installs
/// all of it; a missing piece fails the test with the fix rather than skipping it.
/// </summary>
internal static class Prerequisites
{
    public const string Chromium = "/usr/bin/chromium";

    public static string PlaygroundCli { get; } =
        Path.Combine(TestPaths.ToolsModules, "@microsoft", "m365agentsplayground", "cli.js");

    public static string LoopbackPreload { get; } = Path.Combine(TestPaths.RepositoryRoot, "tools", "e2e", "listen-loopback.cjs");

    public static string PlaygroundConfig { get; } = Path.Combine(TestPaths.RepositoryRoot, "playground", ".m365agentsplayground.yml");

    public static void AssertInstalled()
    {
        var missing = new List<string>();
        Require(Chromium, "Debian's chromium (apt-get install chromium)");
        Require(PlaygroundCli, "the Agents Playground (npm, tools/package.json)");
        Require(LoopbackPreload, "tools/e2e/listen-loopback.cjs");
        Require(PlaygroundConfig, "the mock Teams context");
        Require(TestPaths.FusionBotDll, "the built bot (dotnet build FusionBot.sln)");
        if (missing.Count > 0)
        {
            Assert.Fail($"End-to-end prerequisites are missing; run `bash scripts/bootstrap.sh` (or scripts/test.sh):{Environment.NewLine}" +
                        string.Join(Environment.NewLine, missing));
        }

        void Require(string path, string what)
        {
            if (!File.Exists(path))
            {
                missing.Add($"  {what}: {path}");
            }
        }
    }
}
