using System.Globalization;
using System.Text.Json;
using FusionBot.Features.Access;
using FusionBot.Links;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Privacy;

/// <summary>
/// GET /privacy/export: the JSON of everything stored about one person, behind the signed link of
/// <c>privacy export</c>. The signature covers tenant, admin, export id and expiry, so the link works only for that
/// export in that tenant; the admin must still be an admin there; it downloads once. The JSON is written as it is read,
/// one stored row at a time, and flushed as it goes: nothing is gathered in memory.
/// </summary>
public static class PrivacyExportEndpoint
{
    public const string Path = "/privacy/export";
    private static readonly string[] Names = ["tenant", "admin", "export", "expires"];

    public static Uri? CreateLink(SignedLinks links, string tenantId, string adminId, string exportId, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(links);
        return links.Create(Path, [new("tenant", tenantId), new("admin", adminId), new("export", exportId),
            new("expires", expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))]);
    }

    public static IEndpointConventionBuilder MapPrivacyExport(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(Path, ExportAsync);
    }

    private static async Task ExportAsync(HttpContext context, SignedLinks links, AccessPolicy access, IUsedLinkStore usedLinks,
        PrivacyRecords records, PersonalDataRows personalData, PlatformPersonalData platform, IRequestStore requests, IRequestHistoryStore history, TimeProvider time)
    {
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        response.Headers.CacheControl = "no-store";
        if (links.Read(Path, context.Request.Query, Names) is not [var tenant, var admin, var export, var expires]
            || !long.TryParse(expires.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds)
            || unixSeconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            await RefuseAsync(response, StatusCodes.Status403Forbidden, "This export link is not valid. Type privacy export in the bot for a new one.");
            return;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
        if (time.GetUtcNow() >= expiresAt)
        {
            await RefuseAsync(response, StatusCodes.Status410Gone, "This export link has expired. Type privacy export in the bot for a new one.");
            return;
        }

        if (!await access.IsAdminAsync(new Person(admin.Value, admin.Value, null), tenant.Value, cancellationToken))
        {
            await RefuseAsync(response, StatusCodes.Status403Forbidden, "Only CoE admins can export a person's data.");
            return;
        }

        if (!await usedLinks.TryUseAsync(tenant.Value, export.Value, expiresAt, cancellationToken))
        {
            await RefuseAsync(response, StatusCodes.Status410Gone, "This export link was already used: each link downloads once.");
            return;
        }

        if (await records.GetExportAsync(tenant.Value, export.Value, expiresAt, cancellationToken) is not { } manifest)
        {
            await RefuseAsync(response, StatusCodes.Status410Gone, "This export is no longer kept. Type privacy export in the bot for a new one.");
            return;
        }

        response.ContentType = "application/json; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"personal-data-{manifest.PreparedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.json\"";
        await WriteAsync(response.Body, manifest, personalData, platform, requests, history, time.GetUtcNow(), cancellationToken);
        await records.DeleteExportAsync(tenant.Value, export.Value, expiresAt, CancellationToken.None);
    }

    private static async Task WriteAsync(Stream body, PrivacyExportManifest manifest, PersonalDataRows personalData, PlatformPersonalData platform, IRequestStore requests,
        IRequestHistoryStore history, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var person = manifest.Person;
        var matcher = new ErasedPerson(person.TenantId, person.TeamsId, person.AadObjectId);
        await using var json = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("exportedAt", now);
        json.WriteString("tenantId", person.TenantId);
        json.WriteString("teamsUserId", person.TeamsId);
        json.WriteString("entraObjectId", person.AadObjectId);

        json.WriteStartArray("records");
        await foreach (var record in personalData.ReadAsync(person, manifest.ComponentIds, cancellationToken)
            .Concat(platform.ReadAsync(person, manifest.RequestIds, cancellationToken)))
        {
            json.WriteStartObject();
            json.WriteString("kind", record.Section);
            json.WritePropertyName("data");
            json.WriteRawValue(record.Row.Data, skipInputValidation: true);
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
        }

        json.WriteEndArray();

        json.WriteStartArray("componentUses");
        await foreach (var use in personalData.ReadUsesAsync(person.TenantId, manifest.ComponentIds, manifest.RequestIds, cancellationToken))
        {
            var parsed = StorageJson.Deserialize<ComponentUse>(use.Data);
            if (matcher.Matches(parsed.User))
            {
                json.WriteRawValue(use.Data, skipInputValidation: true);
                await json.FlushAsync(cancellationToken);
            }
        }

        json.WriteEndArray();

        // Requests they made, whole; requests they only took part in, with just the events that were theirs.
        json.WriteStartArray("requests");
        foreach (var requestId in manifest.RequestIds)
        {
            if (await requests.GetAsync(person.TenantId, requestId, cancellationToken) is not { } request)
            {
                continue;
            }

            var madeByThem = matcher.Matches(request.Maker);
            var events = (await history.ListAsync(requestId, cancellationToken)).Where(e => madeByThem || matcher.Matches(e.Actor)).ToList();
            if (!madeByThem && events.Count == 0 && !matcher.Matches(request.Reviewer))
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString("id", request.Id);
            json.WriteString("role", madeByThem ? "maker" : "participant");
            if (madeByThem)
            {
                json.WritePropertyName("request");
                json.WriteRawValue(StorageJson.Serialize(request), skipInputValidation: true);
            }

            json.WriteStartArray("history");
            foreach (var historyEvent in events)
            {
                json.WriteRawValue(StorageJson.Serialize(historyEvent), skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static async Task RefuseAsync(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(text);
    }
}
