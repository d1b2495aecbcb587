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
    private int _screenshots;

    private PlaygroundBrowser(IPlaywright playwright, IBrowserContext context, IPage page, string userDataDirectory)
    {
        _playwright = playwright;
        _context = context;
        Page = page;
        _userDataDirectory = userDataDirectory;
    }

    public IPage Page { get; }

    /// <summary>The message box of the open chat; in a channel, the first is "Start a new post" (the others reply in a thread).</summary>
    private ILocator MessageBox => Page.Locator("[data-lexical-editor=\"true\"][role=\"textbox\"]").First;

    public static async Task<PlaygroundBrowser> OpenAsync(Uri playground)
    {
        // Screenshots of an earlier run would mix with this run's.
        foreach (var old in Directory.EnumerateFiles(TestPaths.Artifacts, "*.png"))
        {
            File.Delete(old);
        }

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
            await page.GotoAsync(playground.ToString());
            var browser = new PlaygroundBrowser(playwright, context, page, userDataDirectory);
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

    /// <summary>The last rendered Adaptive Card that contains <paramref name="text"/>, once it is visible.</summary>
    public async Task<ILocator> CardAsync(string text) => await CardAsync(new Regex(Regex.Escape(text)));

    public async Task<ILocator> CardAsync(Regex text)
    {
        var card = Page.Locator(".ac-adaptiveCard").Filter(new() { HasTextRegex = text }).Last;
        await Assertions.Expect(card).ToBeVisibleAsync();
        return card;
    }

    /// <summary>Saves a screenshot of the whole page among the test artefacts, numbered in the order taken.</summary>
    public async Task ScreenshotAsync(string name)
    {
        _screenshots++;
        await Page.ScreenshotAsync(new() { Path = Path.Combine(TestPaths.Artifacts, $"{_screenshots:00}-{name}.png"), FullPage = true });
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

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Scheme is "data" or "blob" or "about");
}
