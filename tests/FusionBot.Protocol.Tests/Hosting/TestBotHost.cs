using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FusionBot.Protocol.Hosting;
using FusionBot.Protocol.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FusionBot.Protocol.Tests.Hosting;

/// <summary>A minimal app on loopback: AddBotFramework + MapBotMessages + <see cref="PongBot"/>.</summary>
internal sealed class TestBotHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestBotHost(WebApplication app, PongBot bot)
    {
        this.app = app;
        Bot = bot;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
    }

    public PongBot Bot { get; }

    public HttpClient Client { get; }

    public static async Task<TestBotHost> StartAsync(IEnumerable<KeyValuePair<string, string?>> configuration, string environment = "Development")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddBotFramework(builder.Configuration);
        var bot = new PongBot();
        builder.Services.AddSingleton<IBot>(bot);
        var app = builder.Build();
        app.MapBotMessages();
        await app.StartAsync();
        return new TestBotHost(app, bot);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.DisposeAsync();
    }
}

/// <summary>Answers messages with "pong: text", card actions with a message, and throws on "boom".</summary>
internal sealed class PongBot : IBot
{
    private readonly ConcurrentQueue<Activity> turns = new();

    public IReadOnlyList<Activity> Turns => [.. turns];

    public bool SawActivity(string? id) => turns.Any(t => t.Id == id);

    public async Task<InvokeResponse?> OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        turns.Enqueue(turn.Activity);
        if (turn.Activity.Text == "boom")
        {
            throw new InvalidOperationException("the bot failed");
        }

        if (turn.Activity.Type == ActivityTypes.Message)
        {
            await turn.SendTextAsync("pong: " + turn.Activity.Text, cancellationToken);
            return null;
        }

        if (turn.Activity.Name == InvokeNames.AdaptiveCardAction &&
            turn.Activity.Value?["action"]?["verb"]?.GetValue<string>() is "approve")
        {
            return AdaptiveCardInvokeResponse.Message("Approved").ToInvokeResponse();
        }

        return turn.Activity.Name == "task/fetch" ? new InvokeResponse(200, new JsonObject { ["task"] = new JsonObject { ["type"] = "message", ["value"] = "ok" } }) : null;
    }
}
