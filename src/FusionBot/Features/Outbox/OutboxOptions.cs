namespace FusionBot.Features.Outbox;

/// <summary>How the outbox worker claims and carries out due work (section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How often each instance looks for due work; work due now wakes the local worker at once.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a claim holds an item without being renewed. It is renewed every third of this while the item is
    /// worked on, so a slow send keeps it; an instance that crashed lets it go after this, to the next sweep.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Items one instance carries out at the same time (each under its own lease).</summary>
    public int Concurrency { get; set; } = 4;
}
