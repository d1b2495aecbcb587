using System.Collections.Immutable;
using FusionBot.Storage;

namespace FusionBot.Features.Review;

/// <summary>A request waiting because its tier has no review channel yet.</summary>
public sealed record WaitingRequest(string TenantId, string RequestId);

/// <summary>
/// The small index of requests waiting for a tier's channel: one ETag-guarded row per tier, so <c>register</c> finds
/// them without scanning requests. It rarely holds more than a handful (they wait only until an admin registers).
/// </summary>
public sealed class WaitingForChannel(IDialogStateStore store)
{
    private const int MaxAttempts = 5;

    public Task AddAsync(int tier, WaitingRequest waiting, CancellationToken cancellationToken) =>
        ChangeAsync(tier, list => list.Contains(waiting) ? list : list.Add(waiting), cancellationToken);

    public async Task<IReadOnlyList<WaitingRequest>> ListAsync(int tier, CancellationToken cancellationToken) =>
        (await store.GetAsync<WaitingList>(Key(tier), cancellationToken))?.Value.Requests ?? [];

    public Task RemoveAsync(int tier, IReadOnlyCollection<WaitingRequest> done, CancellationToken cancellationToken) =>
        ChangeAsync(tier, list => list.RemoveRange(done), cancellationToken);

    private async Task ChangeAsync(int tier, Func<ImmutableList<WaitingRequest>, ImmutableList<WaitingRequest>> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync<WaitingList>(Key(tier), cancellationToken);
            var changed = change(current?.Value.Requests ?? []);
            try
            {
                await store.SaveAsync(Key(tier), new WaitingList(changed), current?.ETag, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another submission or registration changed the list: apply the change to the fresh one.
            }
        }
    }

    // Not a conversation id, but the same small ETag-guarded key/value rows serve this index well.
    private static string Key(int tier) => $"review-waiting:tier{tier}";

    private sealed record WaitingList(ImmutableList<WaitingRequest> Requests);
}
