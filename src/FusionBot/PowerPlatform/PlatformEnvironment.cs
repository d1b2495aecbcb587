namespace FusionBot.PowerPlatform;

/// <summary>
/// One Power Platform environment. <see cref="Name"/> is its id (<c>Default-{tenant}</c> or a GUID); <see cref="Sku"/>
/// is Default, Production, Sandbox, Trial, Developer or Teams; <see cref="DataverseUrl"/> is set when it has Dataverse.
/// </summary>
public sealed record PlatformEnvironment(string Name, string DisplayName, bool IsDefault, string Sku, Uri? DataverseUrl)
{
    public bool IsProduction => Sku is "Production" || IsDefault;
}
