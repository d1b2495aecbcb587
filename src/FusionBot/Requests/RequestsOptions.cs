namespace FusionBot.Requests;

/// <summary>Section <c>Requests</c>.</summary>
public sealed class RequestsOptions
{
    public const string Section = "Requests";

    /// <summary>
    /// How long after a transition its safety net (the outbox item that finishes recording it should the instance die
    /// mid-way) is due. Longer than any one turn takes, so it never runs before the transition is written.
    /// </summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromSeconds(30);
}
