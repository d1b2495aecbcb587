using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;

namespace FusionBot.Hosting;

/// <summary>
/// Takes ids out of the URLs that HTTP and Azure SDK spans record before any exporter sees them: connector paths
/// carry conversation and activity ids, Graph paths user ids, Table Storage paths partition and row keys, and query
/// strings carry signed link parameters. Path segments that are plain words ("v3", "conversations", "activities")
/// stay, every other segment becomes "{id}", and the query goes.
/// </summary>
public sealed partial class TelemetryRedaction : BaseProcessor<Activity>
{
    private static readonly string[] UrlTags = ["url.full", "http.url"];
    private static readonly string[] PathTags = ["url.path", "http.target"];
    private static readonly string[] DroppedTags = ["url.query"];

    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var tag in UrlTags)
        {
            if (data.GetTagItem(tag) is string url)
            {
                data.SetTag(tag, RedactUrl(url));
            }
        }

        foreach (var tag in PathTags)
        {
            if (data.GetTagItem(tag) is string path)
            {
                data.SetTag(tag, RedactPath(path));
            }
        }

        foreach (var tag in DroppedTags)
        {
            if (data.GetTagItem(tag) is not null)
            {
                data.SetTag(tag, null);
            }
        }
    }

    internal static string RedactUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri.GetLeftPart(UriPartial.Authority) + RedactPath(uri.AbsolutePath)
            : "{url}";

    internal static string RedactPath(string path)
    {
        var withoutQuery = path.Split('?', 2)[0];
        return string.Join('/', withoutQuery.Split('/').Select(segment => segment.Length == 0 || PlainWord().IsMatch(segment) ? segment : "{id}"));
    }

    // Letters (a version number such as v3 or v1.0 allowed): route words, never an id, a key or an encoded value.
    [GeneratedRegex("^([A-Za-z][A-Za-z-]{0,39}|v[0-9]+(\\.[0-9]+)?)$")]
    private static partial Regex PlainWord();
}
