namespace FusionBot.Features.Intake;

/// <summary>Limits on intake (section <c>Intake</c>).</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>How many new requests one maker may submit per UTC day; a resubmission is not a new request.</summary>
    public int MaxRequestsPerDay { get; set; } = 20;
}
