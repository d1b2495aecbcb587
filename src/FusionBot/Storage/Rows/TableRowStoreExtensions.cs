namespace FusionBot.Storage.Rows;

internal static class TableRowStoreExtensions
{
    private const int PageSize = 1000;

    /// <summary>Every row of a partition's range, read page by page.</summary>
    public static async Task<IReadOnlyList<TableRow>> QueryAllAsync(
        this ITableRowStore store, string table, string partitionKey, RowKeyRange range, CancellationToken cancellationToken)
    {
        var rows = new List<TableRow>();
        while (true)
        {
            var page = await store.QueryAsync(table, partitionKey, range, PageSize, cancellationToken);
            rows.AddRange(page);
            if (page.Count < PageSize)
            {
                return rows;
            }

            range = range.After(page[^1].RowKey);
        }
    }
}
