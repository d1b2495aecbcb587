namespace FusionBot.Features.Pipelines;

/// <summary>
/// The Power Platform pipelines gate (section <c>Pipelines</c>). Off until <see cref="HostUrl"/> is set: then the
/// pipelines host may call <c>POST /api/pipelines/predeployment</c> with an Entra ID token of one of
/// <see cref="AllowedCallers"/>, and FusionBot answers the deployment through the host's Dataverse Web API.
/// </summary>
public sealed class PipelinesOptions
{
    public const string Section = "Pipelines";

    /// <summary>The pipelines host environment, e.g. <c>https://contoso-pipelines.crm.dynamics.com</c>.</summary>
    public Uri? HostUrl { get; set; }

    /// <summary>The Entra tenant of the pipelines host: its tokens' issuer, and the tenant whose requests it gates.</summary>
    public string? TenantId { get; set; }

    /// <summary>App ids (<c>azp</c>, v1 <c>appid</c>) whose tokens may call the gate: the identity the host's flow calls with.</summary>
    public IList<string> AllowedCallers { get; set; } = [];

    /// <summary>Power Platform environment ids that are production: a Tier 2 deployment there waits for a reviewer.</summary>
    public IList<string> ProductionEnvironmentIds { get; set; } = [];

    /// <summary>Overrides the token endpoint for Dataverse app tokens (tests, sovereign clouds).</summary>
    public string? TokenEndpoint { get; set; }

    public bool IsConfigured => HostUrl is not null;
}
