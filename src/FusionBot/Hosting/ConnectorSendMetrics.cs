using System.Net;

namespace FusionBot.Hosting;

/// <summary>
/// Counts every attempt to post or update a message through the connector by its result: ok, throttled (429),
/// blocked (403 MessageWritesBlocked: the user blocked or removed the bot) or failed. Sits in the connector's
/// HttpClient, so retries the client makes are counted one by one.
/// </summary>
public sealed class ConnectorSendMetrics : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!IsSend(request))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            Count("failed");
            FusionBotTelemetry.Failed("send", exception);
            throw;
        }

        Count(await ResultOfAsync(response, cancellationToken));
        return response;
    }

    private static bool IsSend(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        return (request.Method == HttpMethod.Post || request.Method == HttpMethod.Put)
            && (path.Contains("/activities", StringComparison.Ordinal) || path.EndsWith("/v3/conversations", StringComparison.Ordinal));
    }

    private static async Task<string> ResultOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return "ok";
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return "throttled";
        }

        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            // Buffered, so the connector client can still read the error body after us.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (body.Contains("MessageWritesBlocked", StringComparison.Ordinal))
            {
                return "blocked";
            }
        }

        return "failed";
    }

    private static void Count(string result) => FusionBotTelemetry.Sends.Add(1, new KeyValuePair<string, object?>("fusionbot.send.result", result));
}
