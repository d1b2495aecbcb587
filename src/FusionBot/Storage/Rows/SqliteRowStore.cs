using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace FusionBot.Storage.Rows;

/// <summary>
/// Rows in one local SQLite file (WAL), for the zero-config run. One statement per operation, so concurrent
/// writers (threads or processes on the same file) serialize in SQLite itself; ETags are random per write.
/// </summary>
public sealed class SqliteRowStore : ITableRowStore, IDisposable
{
    private const int SqliteConstraint = 19;

    private readonly string _connectionString;
    private readonly string _tablePrefix;
    private readonly string _path;
    private readonly InitializeOnce _initialization;

    // SQLite has one writer at a time; a writer that finds the lock taken backs off for 150 ms. Queueing this
    // process's writes here avoids that wait; other processes on the same file still rely on the back-off.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // Native connections this store has configured. The pool hands the same native connection out again and again,
    // so its settings are made once, not on every operation (that was one extra statement per read or write).
    private readonly ConditionalWeakTable<sqlite3, object> _configured = new();

    public SqliteRowStore(string path, string tablePrefix)
    {
        _path = Path.GetFullPath(path);
        _tablePrefix = tablePrefix;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _initialization = new InitializeOnce(CreateSchemaAsync);
    }

    public string Description => $"embedded SQLite file {_path} (table prefix {_tablePrefix})";

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _initialization.EnsureAsync(cancellationToken);

    public async Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT data, etag FROM rows WHERE tbl = $tbl AND pk = $pk AND rk = $rk", table, partitionKey, rowKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TableRow(partitionKey, rowKey, reader.GetString(0), reader.GetString(1))
            : null;
    }

    public async Task<string> InsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default)
    {
        var etag = NewETag();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "INSERT INTO rows (tbl, pk, rk, data, etag) VALUES ($tbl, $pk, $rk, $data, $etag)", table, partitionKey, rowKey);
        command.Parameters.AddWithValue("$data", data);
        command.Parameters.AddWithValue("$etag", etag);
        try
        {
            await ExecuteWriteAsync(command, cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
        {
            throw new ConcurrencyConflictException($"Row {table}/{partitionKey}/{rowKey} already exists.", e);
        }

        return etag;
    }

    public async Task<string> ReplaceAsync(string table, string partitionKey, string rowKey, string data, string etag, CancellationToken cancellationToken = default)
    {
        var newETag = NewETag();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE rows SET data = $data, etag = $new WHERE tbl = $tbl AND pk = $pk AND rk = $rk AND etag = $etag",
            table, partitionKey, rowKey);
        command.Parameters.AddWithValue("$data", data);
        command.Parameters.AddWithValue("$new", newETag);
        command.Parameters.AddWithValue("$etag", etag);
        if (await ExecuteWriteAsync(command, cancellationToken) == 0)
        {
            throw new ConcurrencyConflictException($"Row {table}/{partitionKey}/{rowKey} changed or is gone.");
        }

        return newETag;
    }

    public async Task<string> UpsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default)
    {
        var etag = NewETag();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            """
            INSERT INTO rows (tbl, pk, rk, data, etag) VALUES ($tbl, $pk, $rk, $data, $etag)
            ON CONFLICT (tbl, pk, rk) DO UPDATE SET data = excluded.data, etag = excluded.etag
            """,
            table, partitionKey, rowKey);
        command.Parameters.AddWithValue("$data", data);
        command.Parameters.AddWithValue("$etag", etag);
        await ExecuteWriteAsync(command, cancellationToken);
        return etag;
    }

    public async Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? etag = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            etag is null
                ? "DELETE FROM rows WHERE tbl = $tbl AND pk = $pk AND rk = $rk"
                : "DELETE FROM rows WHERE tbl = $tbl AND pk = $pk AND rk = $rk AND etag = $etag",
            table, partitionKey, rowKey);
        if (etag is not null)
        {
            command.Parameters.AddWithValue("$etag", etag);
        }

        var deleted = await ExecuteWriteAsync(command, cancellationToken) > 0;
        if (!deleted && etag is not null)
        {
            throw new ConcurrencyConflictException($"Row {table}/{partitionKey}/{rowKey} changed or is gone.");
        }

        return deleted;
    }

    public async Task<IReadOnlyList<TableRow>> QueryAsync(string table, string partitionKey, RowKeyRange range, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenAsync(cancellationToken);
        // Only the bounds given go into the predicate: "$from IS NULL OR rk >= $from" keeps SQLite from seeking the
        // index, so every page of a paged read would rescan the partition from its start.
        var bounds = (range.From is null ? "" : " AND rk >= $from") + (range.To is null ? "" : " AND rk < $to");
        await using var command = Command(connection,
            $"SELECT rk, data, etag FROM rows WHERE tbl = $tbl AND pk = $pk{bounds} ORDER BY rk LIMIT $limit",
            table, partitionKey, rowKey: null);
        if (range.From is not null)
        {
            command.Parameters.AddWithValue("$from", range.From);
        }

        if (range.To is not null)
        {
            command.Parameters.AddWithValue("$to", range.To);
        }

        command.Parameters.AddWithValue("$limit", limit);
        var rows = new List<TableRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new TableRow(partitionKey, reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<string?>> WriteBatchAsync(string table, string partitionKey, IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        await using var connection = await OpenAsync(cancellationToken);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var etags = new List<string?>(writes.Count);
            foreach (var write in writes)
            {
                etags.Add(await WriteInBatchAsync(connection, transaction, table, partitionKey, write, cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
            return etags;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<string?> WriteInBatchAsync(
        SqliteConnection connection, SqliteTransaction transaction, string table, string partitionKey, RowWrite write, CancellationToken cancellationToken)
    {
        var etag = write.Kind == RowWriteKind.Delete ? null : NewETag();
        await using var command = Command(connection, write.Kind switch
        {
            RowWriteKind.Insert => "INSERT OR IGNORE INTO rows (tbl, pk, rk, data, etag) VALUES ($tbl, $pk, $rk, $data, $new)",
            RowWriteKind.Replace => "UPDATE rows SET data = $data, etag = $new WHERE tbl = $tbl AND pk = $pk AND rk = $rk AND etag = $etag",
            RowWriteKind.Upsert =>
                """
                INSERT INTO rows (tbl, pk, rk, data, etag) VALUES ($tbl, $pk, $rk, $data, $new)
                ON CONFLICT (tbl, pk, rk) DO UPDATE SET data = excluded.data, etag = excluded.etag
                """,
            _ when write.ETag is null => "DELETE FROM rows WHERE tbl = $tbl AND pk = $pk AND rk = $rk",
            _ => "DELETE FROM rows WHERE tbl = $tbl AND pk = $pk AND rk = $rk AND etag = $etag",
        }, table, partitionKey, write.RowKey);
        command.Transaction = transaction;
        if (write.Kind != RowWriteKind.Delete)
        {
            command.Parameters.AddWithValue("$data", write.Data ?? throw new ArgumentException("A write needs its data.", nameof(write)));
            command.Parameters.AddWithValue("$new", etag);
        }

        if (write.Kind is RowWriteKind.Replace or RowWriteKind.Delete && write.ETag is not null)
        {
            command.Parameters.AddWithValue("$etag", write.ETag);
        }

        // Every kind but upsert changes exactly one row or the batch conflicts (and is rolled back by the dispose).
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0 && write.Kind != RowWriteKind.Upsert)
        {
            throw new ConcurrencyConflictException($"Row {table}/{partitionKey}/{write.RowKey}: {write.Kind} conflicts; the batch was not written.");
        }

        return etag;
    }

    /// <summary>Closes the pooled connections so the file is released.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _writeGate.Dispose();
    }

    private async Task<int> ExecuteWriteAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static string NewETag() => Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _initialization.EnsureAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        var handle = connection.Handle!;
        if (_configured.TryGetValue(handle, out _))
        {
            return connection;
        }

        // With WAL, NORMAL syncs at checkpoints instead of every commit: a crash of the process loses nothing,
        // only a power cut may lose the last commits. The setting belongs to the native connection.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL";
        await command.ExecuteNonQueryAsync(cancellationToken);
        _configured.AddOrUpdate(handle, handle);
        return connection;
    }

    private SqliteCommand Command(SqliteConnection connection, string sql, string table, string partitionKey, string? rowKey)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // The SQL is a constant of this class; every value is a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Parameters.AddWithValue("$tbl", _tablePrefix + table);
        command.Parameters.AddWithValue("$pk", partitionKey);
        if (rowKey is not null)
        {
            command.Parameters.AddWithValue("$rk", rowKey);
        }

        return command;
    }

    private async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenRawAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // WAL lets readers run beside the single writer; the mode is stored in the file itself.
        command.CommandText =
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS rows (
                tbl TEXT NOT NULL, pk TEXT NOT NULL, rk TEXT NOT NULL, data TEXT NOT NULL, etag TEXT NOT NULL,
                PRIMARY KEY (tbl, pk, rk)) WITHOUT ROWID;
            """;
        await ExecuteWriteAsync(command, cancellationToken);
    }
}
