namespace FusionBot.Storage.Rows;

/// <summary>One stored row: its keys, its JSON payload and the ETag that guards the next conditional write.</summary>
public sealed record TableRow(string PartitionKey, string RowKey, string Data, string ETag);
