using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FusionBot.TestKit.OpenAI;

/// <summary>
/// An Azure OpenAI-compatible chat completions endpoint on loopback. Each test sets what the "model" answers
/// (content, delay or an HTTP error) and reads back the requests the real client sent.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonObject> _requests = new();

    public string Content { get; set; } = "{}";
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;
    public int Status { get; set; } = 200;

    /// <summary>When set, the whole HTTP body sent instead of a completion (an HTML error page, a completion without choices).</summary>
    public (string Body, string ContentType)? RawResponse { get; set; }

    public const string ApiKey = "test-openai-key";
    public const string Deployment = "intake-model";

    private FakeOpenAIServer(WebApplication app) => _app = app;

    public Uri Endpoint => new(_app.Services.GetRequiredServiceFeature().Addresses.First() + "/");

    public IReadOnlyCollection<JsonObject> Requests => _requests.ToArray();

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAIServer(app);
        app.MapPost("/openai/deployments/{deployment}/chat/completions", server.CompleteAsync);
        await app.StartAsync();
        return server;
    }

    private async Task<IResult> CompleteAsync(string deployment, HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        body["_deployment"] = deployment;
        body["_apiKey"] = context.Request.Headers["api-key"].ToString();
        _requests.Enqueue(body);

        await Task.Delay(Delay, context.RequestAborted);
        if (RawResponse is { } raw)
        {
            return Results.Text(raw.Body, raw.ContentType, statusCode: Status);
        }

        if (Status != 200)
        {
            return Results.Json(new { error = new { code = "Failure", message = "fake failure" } }, statusCode: Status);
        }

        return Results.Json(new
        {
            id = "chatcmpl-test",
            @object = "chat.completion",
            created = 0,
            model = deployment,
            choices = new[] { new { index = 0, finish_reason = "stop", message = new { role = "assistant", content = Content } } },
            usage = new { prompt_tokens = 1, completion_tokens = 1, total_tokens = 2 },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal static class ServerAddresses
{
    public static IServerAddressesFeature GetRequiredServiceFeature(this IServiceProvider services) =>
        ((IServer)services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!;
}
