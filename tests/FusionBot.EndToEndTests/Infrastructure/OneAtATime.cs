namespace FusionBot.EndToEndTests.Infrastructure;

/// <summary>
/// The end-to-end tests run one after another: each starts a bot, a Playground and a chromium, which on a shared
/// machine is load enough; side by side they would only slow each other down.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OneAtATime
{
    public const string Name = "Agents Playground, one test at a time";
}
