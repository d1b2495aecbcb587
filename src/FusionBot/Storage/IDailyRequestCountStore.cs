namespace FusionBot.Storage;

/// <summary>How many requests each maker created on each UTC day, for the daily cap.</summary>
public interface IDailyRequestCountStore
{
    /// <summary>
    /// Counts one more request for the maker on <paramref name="day"/> unless <paramref name="max"/> are counted
    /// already. True when counted; safe when several instances count at once.
    /// </summary>
    Task<bool> TryCountAsync(string tenantId, string makerId, DateOnly day, int max, CancellationToken cancellationToken = default);
}
