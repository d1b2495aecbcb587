using System.Text.Json.Nodes;

namespace FusionBot.TestKit;

/// <summary>The portfolio export's link, which the bot sends to the admin's chat once the file is prepared in the background.</summary>
public static class ExportLinkCards
{
    /// <summary>
    /// Runs <paramref name="ask"/> (the admin's <c>portfolio export</c>) and waits for the next "Download CSV" card
    /// sent after it; returns its link.
    /// </summary>
    public static async Task<Uri> AfterAsync(RecordingConnector connector, Func<Task> ask, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(ask);
        var before = Links(connector).Count;
        await ask();
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (Links(connector).Count <= before)
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("No export link was sent.");
            }

            await Task.Delay(20);
        }

        return Links(connector)[before];
    }

    private static List<Uri> Links(RecordingConnector connector) =>
    [
        .. connector.Calls
            .Where(c => c.Route == ConnectorRoute.SendToConversation && c.Body.Contains("Download CSV", StringComparison.Ordinal))
            .SelectMany(c => c.Activity?.Attachments ?? [])
            .Select(a => a.Content as JsonObject)
            .Select(card => card?["actions"]?[0]?["url"]?.GetValue<string>())
            .OfType<string>()
            .Select(url => new Uri(url)),
    ];
}
