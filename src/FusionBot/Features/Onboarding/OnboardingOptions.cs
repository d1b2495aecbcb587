namespace FusionBot.Features.Onboarding;

/// <summary>What a new maker is pointed to, and whether they must confirm the guidelines before a reviewed request.</summary>
public sealed class OnboardingOptions
{
    public const string Section = "Onboarding";

    /// <summary>Training for makers; a button on the welcome card when set.</summary>
    public Uri? TrainingUrl { get; set; }

    /// <summary>The CoE guidelines; a button on the welcome card and on the acknowledgement card.</summary>
    public Uri? GuidelinesUrl { get; set; }

    /// <summary>Before a maker's first Tier 2+ request is submitted, they confirm they read <see cref="GuidelinesUrl"/>.</summary>
    public bool RequireAcknowledgement { get; set; }
}
