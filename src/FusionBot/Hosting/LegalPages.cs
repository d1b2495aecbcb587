using System.Net;
using System.Reflection;
using Markdig;
using Microsoft.Extensions.Options;

namespace FusionBot.Hosting;

/// <summary>
/// <c>Legal:*</c>: where the manifest's privacy and terms links lead. A URL redirects there; a markdown file is served
/// as the page; neither serves the built-in page (what FusionBot stores and for how long).
/// </summary>
public sealed class LegalOptions
{
    public const string Section = "Legal";

    public Uri? PrivacyUrl { get; set; }
    public Uri? TermsUrl { get; set; }

    /// <summary>A markdown file (absolute, or relative to the content root) served as <c>/privacy</c>.</summary>
    public string? PrivacyMarkdown { get; set; }

    /// <summary>A markdown file (absolute, or relative to the content root) served as <c>/terms</c>.</summary>
    public string? TermsMarkdown { get; set; }
}

public static class LegalPages
{
    public const string PrivacyPath = "/privacy";
    public const string TermsPath = "/terms";

    // Raw HTML in the markdown is shown as text: the page is ours, whoever wrote the file.
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    public static IServiceCollection AddFusionBotLegalPages(this IServiceCollection services)
    {
        services.AddOptions<LegalOptions>().BindConfiguration(LegalOptions.Section)
            .Validate(o => IsWebLink(o.PrivacyUrl) && IsWebLink(o.TermsUrl), "Legal:PrivacyUrl and Legal:TermsUrl must be absolute http(s) URLs.")
            .Validate(o => o.PrivacyUrl is null || IsUnset(o.PrivacyMarkdown), "Set Legal:PrivacyUrl or Legal:PrivacyMarkdown, not both.")
            .Validate(o => o.TermsUrl is null || IsUnset(o.TermsMarkdown), "Set Legal:TermsUrl or Legal:TermsMarkdown, not both.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<LegalOptions>, LegalFilesExist>();
        return services;
    }

    public static IEndpointRouteBuilder MapLegalPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PrivacyPath, (IOptions<LegalOptions> options, IHostEnvironment environment) =>
            Page("Privacy", options.Value.PrivacyUrl, options.Value.PrivacyMarkdown, "privacy.md", environment));
        endpoints.MapGet(TermsPath, (IOptions<LegalOptions> options, IHostEnvironment environment) =>
            Page("Terms of use", options.Value.TermsUrl, options.Value.TermsMarkdown, "terms.md", environment));
        return endpoints;
    }

    private static IResult Page(string title, Uri? redirect, string? markdownFile, string builtIn, IHostEnvironment environment)
    {
        if (redirect is not null)
        {
            return Results.Redirect(redirect.AbsoluteUri);
        }

        var markdown = IsUnset(markdownFile) ? BuiltIn(builtIn) : File.ReadAllText(Path.Combine(environment.ContentRootPath, markdownFile!));
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>FusionBot · {WebUtility.HtmlEncode(title)}</title>
            <style>body{"{"}font-family:"Segoe UI",system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#242424{"}"}</style>
            </head>
            <body>
            {Markdig.Markdown.ToHtml(markdown, Markdown)}
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static string BuiltIn(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"FusionBot.Hosting.Legal.{name}")
            ?? throw new InvalidOperationException($"The built-in page {name} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static bool IsUnset(string? path) => string.IsNullOrWhiteSpace(path);

    private static bool IsWebLink(Uri? url) => url is null || (url.IsAbsoluteUri && url.Scheme is "https" or "http");

    /// <summary>A configured markdown file that is missing stops the bot at start, not at the first visitor.</summary>
    private sealed class LegalFilesExist(IHostEnvironment environment) : IValidateOptions<LegalOptions>
    {
        public ValidateOptionsResult Validate(string? name, LegalOptions options)
        {
            var missing = new[] { (Key: "Legal:PrivacyMarkdown", File: options.PrivacyMarkdown), (Key: "Legal:TermsMarkdown", File: options.TermsMarkdown) }
                .Where(f => !IsUnset(f.File) && !File.Exists(Path.Combine(environment.ContentRootPath, f.File!)))
                .Select(f => $"{f.Key}: no file at {f.File}.")
                .ToList();
            return missing.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(missing);
        }
    }
}
