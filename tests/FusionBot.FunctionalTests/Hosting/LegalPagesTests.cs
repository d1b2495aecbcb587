using System.Net;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.TestKit.Cards;

namespace FusionBot.FunctionalTests.Hosting;

/// <summary>The manifest's privacy and terms links lead somewhere: a built-in page, an operator's markdown, or a redirect.</summary>
public sealed class LegalPagesTests
{
    [Fact]
    public async Task The_manifest_links_answer_with_the_built_in_pages()
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "manifest", "manifest.json")))!;
        await using var bot = await BotHost.StartAsync();
        using var client = bot.CreateClient(followRedirects: false);

        foreach (var (link, heading) in new[] { ("privacyUrl", "Privacy"), ("termsOfUseUrl", "Terms of use") })
        {
            var path = new Uri(((string)manifest["developer"]![link]!).Replace("${{BOT_DOMAIN}}", "bot.example", StringComparison.Ordinal)).AbsolutePath;
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"<h1 id=\"{heading.ToLowerInvariant().Replace(' ', '-')}\">{heading}</h1>", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_configured_url_redirects_and_a_markdown_file_is_served_with_its_html_shown_as_text()
    {
        var markdown = Path.Combine(Path.GetTempPath(), $"fusionbot-terms-{Guid.NewGuid():N}.md");
        await File.WriteAllTextAsync(markdown, "# Contoso terms\n\nUse it **kindly**. <script>alert('x')</script>\n");
        try
        {
            await using var bot = await BotHost.StartAsync(settings: new Dictionary<string, string?>
            {
                ["Legal:PrivacyUrl"] = "https://contoso.example/legal/privacy",
                ["Legal:TermsMarkdown"] = markdown,
            });
            using var client = bot.CreateClient(followRedirects: false);

            using var privacy = await client.GetAsync("/privacy");
            Assert.Equal(HttpStatusCode.Redirect, privacy.StatusCode);
            Assert.Equal(new Uri("https://contoso.example/legal/privacy"), privacy.Headers.Location);

            var terms = await client.GetStringAsync("/terms");
            Assert.Contains("Contoso terms</h1>", terms);
            Assert.Contains("<strong>kindly</strong>", terms);
            Assert.DoesNotContain("<script>", terms);
            Assert.Contains("&lt;script&gt;", terms);
        }
        finally
        {
            File.Delete(markdown);
        }
    }
}
