namespace FusionBot.Storage.Rows;

public enum RowWriteKind { Insert, Replace, Upsert, Delete }

/// <summary>
/// One write of an atomic batch (<see cref="ITableRowStore.WriteBatchAsync"/>): insert (conflict when present),
/// replace with an ETag, upsert, or delete (with an ETag, or of a row that must exist).
/// </summary>
public sealed record RowWrite(RowWriteKind Kind, string RowKey, string? Data = null, string? ETag = null)
{
    public static RowWrite Insert(string rowKey, string data) => new(RowWriteKind.Insert, rowKey, data);

    public static RowWrite Replace(string rowKey, string data, string etag) => new(RowWriteKind.Replace, rowKey, data, etag);

    public static RowWrite Upsert(string rowKey, string data) => new(RowWriteKind.Upsert, rowKey, data);

    public static RowWrite Delete(string rowKey, string? etag = null) => new(RowWriteKind.Delete, rowKey, ETag: etag);
}
