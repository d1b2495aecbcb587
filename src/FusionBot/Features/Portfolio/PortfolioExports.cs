using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Portfolio;

/// <summary>
/// The tenant whose export an admin asked for, the signed link made for them then (only a turn knows the bot's public
/// address when <c>Links:PublicBaseUrl</c> is not set), and their 1:1 chat, where the link goes.
/// </summary>
public sealed record PortfolioExportPayload(string TenantId, Uri Link, ConversationReference Chat);

/// <summary>
/// The portfolio CSV, prepared in the background: the outbox item of a <c>portfolio export</c> writes it (a page of
/// requests at a time, into <see cref="ExportFileStore"/>) unless the file prepared last is still of the current data
/// (the tenant's request version, <see cref="RequestIndexReader.VersionAsync"/>), and then sends the admin a signed
/// single-use link. The download streams the prepared file; nothing holds the whole tenant.
/// </summary>
public sealed class PortfolioExportHandler(
    PortfolioExports exports,
    ConnectorClient connector,
    IOptions<PortfolioOptions> options) : OutboxHandler<PortfolioExportPayload>(Kind)
{
    public const string Kind = "portfolio-export";

    protected override async Task HandleAsync(PortfolioExportPayload payload, CancellationToken cancellationToken)
    {
        var file = await exports.PrepareAsync(payload.TenantId, cancellationToken);
        await connector.SendToReferenceAsync(payload.Chat, new Activity
        {
            Type = ActivityTypes.Message,
            Summary = "Portfolio export",
            Attachments = [ReadyCard(payload.Link, file, options.Value.ExportLinkLifetime).ToAttachment()],
        }, cancellationToken);
    }

    internal static JsonObject ReadyCard(Uri link, ExportFile file, TimeSpan lifetime)
    {
        var minutes = lifetime.TotalMinutes.ToString("0", CultureInfo.InvariantCulture);
        return AdaptiveCardJson.Create(
            [CardElements.TextBlock($"Your portfolio export is ready (data as of {CardWords.When(file.PreparedAt)}). The link works for {minutes} minutes from when you asked; anyone who has it can download the file until then, so don't forward it.")],
            [CardActions.OpenUrl("Download CSV", link)]);
    }
}

/// <summary>Prepares the tenant's CSV when the data changed since the last one, and reads the current one.</summary>
public sealed class PortfolioExports(IRequestStore requests, RequestIndexReader index, ExportFileStore files, TimeProvider time)
{
    public const string FileName = "portfolio.csv";
    private const int PageSize = 500;

    public async Task<ExportFile> PrepareAsync(string tenantId, CancellationToken cancellationToken)
    {
        await index.EnsureIndexedAsync(tenantId, cancellationToken);
        var version = await index.VersionAsync(tenantId, cancellationToken);
        if (await files.GetAsync(tenantId, FileName, cancellationToken) is { } current && current.Version == version)
        {
            return current;
        }

        return await files.SaveAsync(tenantId, FileName, version, LinesAsync(tenantId, cancellationToken), time.GetUtcNow(), cancellationToken);
    }

    public Task<ExportFile?> CurrentAsync(string tenantId, CancellationToken cancellationToken) => files.GetAsync(tenantId, FileName, cancellationToken);

    public IAsyncEnumerable<string> ReadAsync(string tenantId, ExportFile file, CancellationToken cancellationToken) =>
        files.ReadAsync(tenantId, FileName, file, cancellationToken);

    private async IAsyncEnumerable<string> LinesAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return PortfolioCsv.HeaderLine();
        string? after = null;
        while (true)
        {
            var page = await requests.ListAsync(tenantId, PageSize, after, cancellationToken);
            foreach (var request in page)
            {
                yield return PortfolioCsv.Line(request);
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }
}
