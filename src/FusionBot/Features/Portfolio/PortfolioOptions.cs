namespace FusionBot.Features.Portfolio;

/// <summary>Periodic reviews of solutions in use and the CoE's portfolio export (section <c>Portfolio</c>; the export link's key and address are in <c>Links</c>).</summary>
public sealed class PortfolioOptions
{
    public const string Section = "Portfolio";

    /// <summary>How long after approval, self-certification, delivery or the last review the maker is asked again.</summary>
    public TimeSpan ReviewInterval { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long the maker has to answer before a reminder; after another grace the review is overdue for the CoE.</summary>
    public TimeSpan ReviewGrace { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long an export link works.</summary>
    public TimeSpan ExportLinkLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
