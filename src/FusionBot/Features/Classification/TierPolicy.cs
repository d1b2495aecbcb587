namespace FusionBot.Features.Classification;

/// <summary>What each tier means for the maker: who builds, how it is reviewed, who deploys.</summary>
public static class TierPolicy
{
    public static string Describe(int tier) => tier switch
    {
        1 => "you build and deploy it yourself, after a self-certification checklist.",
        2 => "you build it from a template; a pro developer reviews it within 48 hours and promotes it.",
        3 => "you build the UI and logic; a synchronous design review with pro developers comes first, and you deploy it together.",
        4 => "you provide the requirements; pro developers build it, own it and run the full lifecycle.",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Tiers are 1 to 4."),
    };
}
