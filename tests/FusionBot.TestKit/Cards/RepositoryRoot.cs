namespace FusionBot.TestKit.Cards;

public static class RepositoryRoot
{
    /// <summary>The folder holding FusionBot.sln, found by walking up from the test binaries.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FusionBot.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"FusionBot.sln not found above {AppContext.BaseDirectory}");
    }
}
