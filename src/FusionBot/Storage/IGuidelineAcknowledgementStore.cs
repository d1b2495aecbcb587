using FusionBot.Requests;

namespace FusionBot.Storage;

/// <summary>A maker confirmed they read the guidelines, and when.</summary>
public sealed record GuidelineAcknowledgement(Person User, DateTimeOffset At);

/// <summary>Guideline acknowledgements: PartitionKey = tenant, RowKey = the user's Teams id.</summary>
public interface IGuidelineAcknowledgementStore
{
    Task<GuidelineAcknowledgement?> GetAsync(string tenantId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Records the acknowledgement; the first one is kept when the maker presses the button again.</summary>
    Task RecordAsync(string tenantId, GuidelineAcknowledgement acknowledgement, CancellationToken cancellationToken = default);
}
