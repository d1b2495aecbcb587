namespace FusionBot.EndToEndTests.Infrastructure;

/// <summary>The mock Teams context of playground/.m365agentsplayground.yml that the tests rely on.</summary>
internal static class MockTeams
{
    public sealed record User(string Id, string Name, string AadObjectId);

    /// <summary>The Playground's current user: the one typing in the web UI.</summary>
    public static readonly User Alex = new("user-id-0", "Alex Wilber", "00000000-0000-0000-0000-0000000000020");

    public static readonly User Megan = new("user-id-1", "Megan Bowen", "00000000-0000-0000-0000-0000000000021");

    public const string PersonalChatId = "personal-chat-alex";
    public const string TeamId = "team-fusion";
    public const string TeamName = "Fusion Team";
    public const string ProDevChannelId = "channel-prodev-reviews";
    public const string ProDevChannelName = "Pro-dev Reviews";
}
