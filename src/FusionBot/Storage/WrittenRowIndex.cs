using System.Globalization;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// Lets rows that are only ever looked up by key expire when nobody wrote them for a while, without scanning their
/// table: each write is noted in the same table under the day it happened (PartitionKey "written|yyyyMMdd", RowKey =
/// a note key the caller picks so one person's notes share a prefix, data = the row's keys and the ETag written). The
/// retention run reads whole past days of notes and
/// deletes a row only while its ETag is still the noted one (a conditional delete: a row written again since, on any
/// instance, has a newer note and stays), then the note. Notes name the row they note, so an erasure removes a
/// person's notes too (<see cref="ForgetAsync"/>, by key range).
/// </summary>
public sealed class WrittenRowIndex(ITableRowStore rows)
{
    private const string Prefix = "written|";

    // How far before the cut-off day a purge still looks, so days missed while the bot was down are covered too.
    private const int DaysLookedBack = 31;

    public Task NoteAsync(string table, string partitionKey, string rowKey, string etag, DateTimeOffset at, string noteKey, CancellationToken cancellationToken) =>
        rows.UpsertAsync(table, Day(at.UtcDateTime), noteKey, StorageJson.Serialize(new Note(partitionKey, rowKey, etag)), cancellationToken);

    /// <summary>
    /// Deletes the notes of <paramref name="table"/> whose key starts with <paramref name="noteKeyPrefix"/>, written in the
    /// last <paramref name="kept"/> before <paramref name="now"/> (plus the days a purge looks back), one key range a day.
    /// </summary>
    public async Task<int> ForgetAsync(string table, string noteKeyPrefix, DateTimeOffset now, TimeSpan kept, CancellationToken cancellationToken)
    {
        var forgotten = 0;
        var today = now.UtcDateTime.Date;
        for (var day = today; day > today.AddDays(-Math.Ceiling(kept.TotalDays) - DaysLookedBack); day = day.AddDays(-1))
        {
            foreach (var note in await rows.QueryAllAsync(table, Day(day), RowKeyRange.Prefix(noteKeyPrefix), cancellationToken))
            {
                forgotten += await rows.DeleteAsync(table, Day(day), note.RowKey, cancellationToken: cancellationToken) ? 1 : 0;
            }
        }

        return forgotten;
    }

    /// <summary>
    /// Deletes the rows of <paramref name="table"/> last written on whole UTC days before <paramref name="before"/>,
    /// handling at most <paramref name="max"/> notes. Returns how many notes were handled (each deletes at most one row).
    /// </summary>
    public async Task<int> PurgeAsync(string table, DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var handled = 0;
        var cutOff = before.UtcDateTime.Date;
        for (var day = cutOff.AddDays(-1); handled < max && day > cutOff.AddDays(-DaysLookedBack); day = day.AddDays(-1))
        {
            var partition = Day(day);
            foreach (var noteRow in await rows.QueryAsync(table, partition, RowKeyRange.All, max - handled, cancellationToken))
            {
                var note = StorageJson.Deserialize<Note>(noteRow.Data);
                try
                {
                    await rows.DeleteAsync(table, note.PartitionKey, note.RowKey, note.ETag, cancellationToken);
                }
                catch (ConcurrencyConflictException)
                {
                    // Written again since (a newer note covers it), or already gone.
                }

                await rows.DeleteAsync(table, partition, noteRow.RowKey, cancellationToken: cancellationToken);
                handled++;
            }
        }

        return handled;
    }

    private static string Day(DateTime utc) => Prefix + utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private sealed record Note(string PartitionKey, string RowKey, string ETag);
}
