using FusionBot.Storage;

namespace FusionBot.Features.Digest;

/// <summary>
/// Digest records, each tenant's desk and the tenants that use the digest, as ETag-guarded entries of the dialog
/// state store (keys start with "digest", which no Teams conversation id does).
/// </summary>
public sealed class DigestArchive(IDialogStateStore store)
{
    private const string TenantsKey = "digest-tenants";
    private const int MaxAttempts = 5;

    public Task<StoredState<DigestRecord>?> GetAsync(string digestId, CancellationToken cancellationToken) =>
        store.GetAsync<DigestRecord>(RecordKey(digestId), cancellationToken);

    public Task<string> SaveAsync(DigestRecord record, string? etag, CancellationToken cancellationToken) =>
        store.SaveAsync(RecordKey(record.Id), record, etag, cancellationToken);

    public async Task<StoredState<DigestDesk>> GetDeskAsync(string tenantId, CancellationToken cancellationToken) =>
        await store.GetAsync<DigestDesk>(DeskKey(tenantId), cancellationToken) ?? new StoredState<DigestDesk>(new DigestDesk(null, null), "");

    /// <summary>Applies <paramref name="change"/> to the desk, again on a concurrent change.</summary>
    public async Task<DigestDesk> UpdateDeskAsync(string tenantId, Func<DigestDesk, DigestDesk> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var desk = await GetDeskAsync(tenantId, cancellationToken);
            var changed = change(desk.Value);
            try
            {
                await store.SaveAsync(DeskKey(tenantId), changed, desk.ETag is "" ? null : desk.ETag, cancellationToken);
                return changed;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>Remembers a tenant whose makers or admins used the digest, so the scheduled run includes it.</summary>
    public async Task RememberTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.GetAsync<List<string>>(TenantsKey, cancellationToken);
            if (stored?.Value.Contains(tenantId, StringComparer.Ordinal) == true)
            {
                return;
            }

            try
            {
                await store.SaveAsync(TenantsKey, (List<string>)[.. stored?.Value ?? [], tenantId], stored?.ETag, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    public async Task<IReadOnlyList<string>> TenantsAsync(CancellationToken cancellationToken) =>
        (await store.GetAsync<List<string>>(TenantsKey, cancellationToken))?.Value ?? [];

    private static string RecordKey(string digestId) => "digest:" + digestId;

    private static string DeskKey(string tenantId) => "digest-desk:" + tenantId;
}
