namespace FusionBot.Features.Digest;

/// <summary>The weekly community-of-practice digest (section <c>Digest</c>).</summary>
public sealed class DigestOptions
{
    public const string Section = "Digest";

    /// <summary>Five-field cron (minute hour day month weekday), read by Cronos. Default: Mondays at 09:00.</summary>
    public string Schedule { get; set; } = "0 9 * * 1";

    /// <summary>IANA time zone the schedule is read in. Default UTC, so nothing depends on the host's zone.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Broadcast right after the scheduled run; otherwise admins get the preview and say <c>digest send</c>.</summary>
    public bool AutoSend { get; set; }

    /// <summary>The period a digest covers, ending at its run time.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Digest sends per second, per instance (the outbox worker sends one item after another on each instance).</summary>
    public double MaxSendsPerSecond { get; set; } = 20;

    /// <summary>How long the model may take to summarise the week's themes before keyword counts are used instead.</summary>
    public TimeSpan ThemesTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
