using FusionBot.Features.Classification;

namespace FusionBot.UnitTests.Intake;

/// <summary>The catalogue the intake tests answer against: the default one the bot ships with.</summary>
internal static class TestCatalogue
{
    public static ConnectorCatalogue Create() => ConnectorCatalogue.Default;
}
