using FusionBot.Features.Digest;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.UnitTests.Digest;

/// <summary>
/// The digest's inputs as the store would index the given requests and history: each request with the milestones its
/// history gives, its rows derived by <see cref="RequestIndex"/>, and an event row per history event.
/// </summary>
internal static class IndexedInputs
{
    public static DigestInputs From(IEnumerable<GovernanceRequest> requests, IReadOnlyDictionary<string, IReadOnlyList<RequestHistoryEvent>> history)
    {
        var rows = new List<(string Key, string Data)>();
        foreach (var request in requests)
        {
            var events = history.TryGetValue(request.Id, out var list) ? list : [];
            rows.AddRange(RequestIndex.Derive(request with { Milestones = RequestMilestones.From(events, request.Tier) }).Rows);
            rows.AddRange(events.Where(RequestIndex.Counted).Select(RequestIndex.Event));
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        List<T> Of<T>(string prefix) => [.. rows.Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(r => StorageJson.Deserialize<T>(r.Data))];
        return new DigestInputs(
            Of<RequestIndex.CreatedRow>(RequestIndex.CreatedPrefix),
            Of<RequestIndex.EventRow>(RequestIndex.EventPrefix),
            Of<RequestIndex.DecidedRow>(RequestIndex.DecidedPrefix),
            Of<RequestIndex.BreachedRow>(RequestIndex.BreachedPrefix));
    }

    public static DigestFigures Compute(IEnumerable<GovernanceRequest> requests, IReadOnlyDictionary<string, IReadOnlyList<RequestHistoryEvent>> history,
        DateTimeOffset from, DateTimeOffset to, Func<string, string>? connectorName = null) =>
        DigestCalculator.Compute(From(requests, history), from, to, connectorName);
}
