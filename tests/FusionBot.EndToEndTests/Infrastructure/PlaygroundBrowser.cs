using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace FusionBot.EndToEndTests.Infrastructure;

/// <summary>
/// Debian's chromium, headless, driven by Playwright (no browser download: <see cref="Prerequisites.Chromium"/>),
/// showing the Playground's web UI as its current user. Requests that leave the machine (the UI's web fonts)
/// are refused so the test runs offline.
/// </summary>
internal sealed class PlaygroundBrowser : IAsyncDisposable
{
    /// <summary>How long the UI may take to show a bot's answer: generous, the machine is shared.</summary>
    public static readonly TimeSpan UiTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly string _userDataDirectory;
    private readonly string _artifacts;
    private readonly List<JsonObject> _streamed = [];
    private int _screenshots;

    private PlaygroundBrowser(IPlaywright playwright, IBrowserContext context, IPage page, string userDataDirectory, string artifacts)
    {
        _playwright = playwright;
        _context = context;
        Page = page;
        _userDataDirectory = userDataDirectory;
        _artifacts = artifacts;
    }

    public IPage Page { get; }

    /// <summary>The message box of the open chat; in a channel, the first is "Start a new post" (the others reply in a thread).</summary>
    private ILocator MessageBox => Page.Locator("[data-lexical-editor=\"true\"][role=\"textbox\"]").First;

    /// <param name="artifacts">The test's artefacts folder (<see cref="TestPaths.ArtifactsFor"/>), for screenshots and the UI's feed.</param>
    public static async Task<PlaygroundBrowser> OpenAsync(Uri playground, string artifacts)
    {
        var userDataDirectory = Directory.CreateTempSubdirectory("chromium-e2e-").FullName;
        var playwright = await Playwright.CreateAsync();
        IBrowserContext? context = null;
        try
        {
            context = await playwright.Chromium.LaunchPersistentContextAsync(userDataDirectory, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Prerequisites.Chromium,
                Headless = true,
                Args = ChromiumArgs,
                ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            });
            context.SetDefaultTimeout((float)UiTimeout.TotalMilliseconds);
            Assertions.SetDefaultExpectTimeout((float)UiTimeout.TotalMilliseconds);
            await context.RouteAsync(url => !IsLoopback(url), route => route.AbortAsync());

            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            var browser = new PlaygroundBrowser(playwright, context, page, userDataDirectory, artifacts);
            page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) => browser.Record(frame.Text);
            await page.GotoAsync(playground.ToString());
            await Assertions.Expect(browser.MessageBox).ToBeVisibleAsync();
            return browser;
        }
        catch
        {
            if (context is not null)
            {
                await context.CloseAsync();
            }

            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Opens a chat from the chat list: "Personal Chat", or "&lt;Team&gt; - &lt;Channel&gt;".</summary>
    public async Task OpenChatAsync(string name)
    {
        await Page.GetByRole(AriaRole.Treeitem, new() { Name = name, Exact = true }).ClickAsync();
        await Assertions.Expect(MessageBox).ToBeVisibleAsync();
    }

    /// <summary>Types a message in the open chat's message box and sends it with Enter, as a user would.</summary>
    public async Task TypeMessageAsync(string text)
    {
        await MessageBox.ClickAsync();
        await Page.Keyboard.TypeAsync(text);
        await Page.Keyboard.PressAsync("Enter");
    }

    /// <summary>Types a message that @mentions <paramref name="name"/> (picked from the suggestions, as in Teams) followed by <paramref name="text"/>.</summary>
    public async Task TypeMentionAsync(string name, string text)
    {
        await MessageBox.ClickAsync();
        await Page.Keyboard.TypeAsync("@" + name);
        await Page.Locator("#typeahead-menu [role=menuitem]").Filter(new() { HasText = name }).First.ClickAsync();
        await Page.Keyboard.TypeAsync(" " + text);
        await Page.Keyboard.PressAsync("Enter");
    }

    /// <summary>The last message the Playground pushed to the UI (created or updated) whose JSON contains <paramref name="text"/>.</summary>
    public StreamedMessage? LastStreamedMessageContaining(string text)
    {
        lock (_streamed)
        {
            return _streamed.LastOrDefault(frame => frame["message"]?.ToJsonString().Contains(text, StringComparison.Ordinal) == true) is { } found
                ? new StreamedMessage(found["actionConversationId"]!.GetValue<string>(), found["message"]!.AsObject())
                : null;
        }
    }

    /// <summary>The last text message in the open chat that contains <paramref name="text"/>, once it is visible (the log panel aside).</summary>
    public async Task<ILocator> TextMessageAsync(string text)
    {
        var message = Page.Locator("p").Filter(new() { HasText = text }).Last;
        await Assertions.Expect(message).ToBeVisibleAsync();
        return message;
    }

    /// <summary>The last rendered Adaptive Card that contains <paramref name="text"/>, once it is visible.</summary>
    public async Task<ILocator> CardAsync(string text) => await CardAsync(new Regex(Regex.Escape(text)));

    public async Task<ILocator> CardAsync(Regex text)
    {
        var card = Page.Locator(".ac-adaptiveCard").Filter(new() { HasTextRegex = text }).Last;
        await Assertions.Expect(card).ToBeVisibleAsync();
        return card;
    }

    /// <summary>Types <paramref name="value"/> into the card's text input labelled <paramref name="label"/>, replacing what it held.</summary>
    public static async Task FillAsync(ILocator card, string label, string value) =>
        await card.GetByLabel(label).FillAsync(value);

    /// <summary>
    /// Ticks the card's checkbox (a toggle, or a choice of an expanded choice set) whose name contains <paramref name="label"/>.
    /// A choice's name starts with its choice set's label ("Suitable tiers Tier 1"), hence no exact match.
    /// </summary>
    public static async Task TickAsync(ILocator card, string label) =>
        await card.GetByRole(AriaRole.Checkbox, new() { Name = label }).CheckAsync();

    /// <summary>Presses the card's button named <paramref name="title"/>: an Action.Submit sends the card's inputs to the bot.</summary>
    public static async Task PressAsync(ILocator card, string title) =>
        await card.GetByRole(AriaRole.Button, new() { Name = title, Exact = true }).ClickAsync();

    /// <summary>Saves a screenshot of the whole page among the test artefacts, numbered in the order taken.</summary>
    public async Task ScreenshotAsync(string name)
    {
        _screenshots++;
        await Page.ScreenshotAsync(new() { Path = Path.Combine(_artifacts, $"{_screenshots:00}-{name}.png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_userDataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    // The UI's WebSocket feed: {action: createMessage|updateMessage, actionConversationId, message}. Kept so a
    // test can act on a message as another user would, with the ids and card data the UI itself holds; also
    // written among the artefacts for diagnosis.
    private void Record(string? text)
    {
        JsonObject? frame;
        try
        {
            frame = text is null ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return;
        }

        if (frame?["message"] is not JsonObject)
        {
            return;
        }

        lock (_streamed)
        {
            _streamed.Add(frame);
            File.AppendAllText(Path.Combine(_artifacts, "playground-stream.jsonl"), text + Environment.NewLine);
        }
    }

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Scheme is "data" or "blob" or "about");
}

/// <summary>
/// A message as the Playground's UI received it. A channel post starts its own thread, whose conversation id
/// ("channel;messageid=…") is the one Teams gives with a click on the post's card.
/// </summary>
internal sealed record StreamedMessage(string ActionConversationId, JsonObject Message)
{
    public string Id => Message["messageId"]!.GetValue<string>();

    public string ConversationId => (Message["postConversationId"] ?? Message["directLineConversationId"])?.GetValue<string>() ?? ActionConversationId;
}
