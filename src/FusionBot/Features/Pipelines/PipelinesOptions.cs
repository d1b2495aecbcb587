namespace FusionBot.Features.Pipelines;

/// <summary>
/// The Power Platform pipelines gate (section <c>Pipelines</c>). Off until <see cref="HostUrl"/> is set: then the
/// pipelines host may call <c>POST /api/pipelines/predeployment</c> with an Entra ID token of one of
/// <see cref="AllowedCallers"/> or signed with <see cref="WebhookSecret"/>, and FusionBot answers the deployment through
/// the host's Dataverse Web API.
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

    /// <summary>
    /// The shared secret of the signed webhook, for a sender that cannot get an Entra token: it signs each call with
    /// HMAC-SHA256 (<see cref="PipelineSignatures"/>). At least 32 characters; keep it in Key Vault. Empty: tokens only.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// How long a Tier 2 promotion waits for a reviewer before FusionBot answers the pipeline itself
    /// (<see cref="PromotionTimeoutAnswer"/>). The pipelines host sets no limit of its own on a pending step, so this
    /// one decides when a forgotten deployment is let go.
    /// </summary>
    public TimeSpan PromotionTimeout { get; set; } = TimeSpan.FromDays(1);

    /// <summary>What the pipeline is told when nobody promoted in time: Reject (default) or Proceed.</summary>
    public PromotionTimeoutAnswer PromotionTimeoutAnswer { get; set; } = PromotionTimeoutAnswer.Reject;

    /// <summary>Power Platform environment ids that are production: a Tier 2 deployment there waits for a reviewer.</summary>
    public IList<string> ProductionEnvironmentIds { get; set; } = [];

    /// <summary>Overrides the token endpoint for Dataverse app tokens (tests, sovereign clouds).</summary>
    public string? TokenEndpoint { get; set; }

    public bool IsConfigured => HostUrl is not null;
}

/// <summary>The answer to a promotion no reviewer decided within <see cref="PipelinesOptions.PromotionTimeout"/>.</summary>
public enum PromotionTimeoutAnswer
{
    Reject,
    Proceed,
}
