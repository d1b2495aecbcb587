using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace FusionBot.TestKit.Cards;

/// <summary>
/// Validates cards the way Teams will read them: the official Adaptive Cards parser (adaptivecards 3.0.6, run
/// by tools/cardcheck/validate.js under Node) plus FusionBot's own rules (version 1.5, $schema, Action.Execute
/// verbs and Action.Submit fallbacks, refresh limits).
/// </summary>
public static class AdaptiveCardValidator
{
    private static readonly SemaphoreSlim BootstrapLock = new(1, 1);

    /// <summary>Validates a batch of cards with one Node process; results are in input order.</summary>
    public static async Task<IReadOnlyList<CardValidationResult>> ValidateAsync(IEnumerable<JsonObject> cards)
    {
        var batch = cards.ToList();
        if (batch.Count == 0)
        {
            return [];
        }
        var parserResults = await RunOfficialParserAsync(batch);
        return [.. batch.Select((card, i) =>
        {
            var parsed = parserResults.Single(r => r.Index == i);
            return parsed with { Errors = [.. parsed.Errors, .. FusionBotCardRules.Check(card)] };
        })];
    }

    /// <summary>Fails the test with every error of every card.</summary>
    public static async Task AssertValidAsync(params JsonObject[] cards)
    {
        var results = await ValidateAsync(cards);
        var failures = results.Where(r => !r.IsValid).ToList();
        if (failures.Count > 0)
        {
            var report = string.Join(Environment.NewLine, failures.SelectMany(r =>
                r.Errors.Select(e => $"  card {r.Index}: {e}")));
            throw new XunitException($"{failures.Count} of {results.Count} card(s) failed Adaptive Card validation:{Environment.NewLine}{report}");
        }
    }

    /// <summary>
    /// Fails unless each maker-typed text is shown in some TextBlock or Fact of <paramref name="card"/> and
    /// none of its characters there can act as markdown, HTML, an entity or a template function.
    /// </summary>
    public static void AssertUserTextInert(JsonObject card, params string[] userTexts)
    {
        var problems = userTexts.SelectMany(text => UserTextInertness.Check(card, text)).ToList();
        if (problems.Count > 0)
        {
            throw new XunitException($"maker text leaked into the card unescaped:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");
        }
    }

    private static async Task<List<CardValidationResult>> RunOfficialParserAsync(List<JsonObject> cards)
    {
        var root = RepositoryRoot.Find();
        await EnsureToolsInstalledAsync(root);

        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.Combine(root, "tools"),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(root, "tools", "cardcheck", "validate.js"));

        using var process = StartOrExplain(startInfo);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(new JsonArray([.. cards.Select(c => c.DeepClone())]).ToJsonString());
        process.StandardInput.Close();
        await process.WaitForExitAsync();

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tools/cardcheck/validate.js exited with {process.ExitCode}: {await stderr}");
        }
        var results = JsonSerializer.Deserialize<List<CardValidationResult>>(await stdout, JsonSerializerOptions.Web);
        if (results is null || results.Count != cards.Count)
        {
            throw new InvalidOperationException($"tools/cardcheck/validate.js returned an unexpected answer: {await stdout}");
        }
        return results;
    }

    private static Process StartOrExplain(ProcessStartInfo startInfo)
    {
        try
        {
            return Process.Start(startInfo) ?? throw new InvalidOperationException("node did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "Card validation needs Node.js 20+ on PATH (the official Adaptive Cards parser runs in Node). Install Node.js and run `bash scripts/bootstrap.sh`.", e);
        }
    }

    private static async Task EnsureToolsInstalledAsync(string root)
    {
        var parser = Path.Combine(root, "tools", "node_modules", "adaptivecards", "package.json");
        if (File.Exists(parser))
        {
            return;
        }
        await BootstrapLock.WaitAsync();
        try
        {
            if (File.Exists(parser))
            {
                return;
            }
            var startInfo = new ProcessStartInfo("bash") { WorkingDirectory = root, UseShellExecute = false, RedirectStandardError = true };
            startInfo.ArgumentList.Add(Path.Combine(root, "scripts", "bootstrap.sh"));
            using var bootstrap = Process.Start(startInfo) ?? throw new InvalidOperationException("bash did not start");
            var errors = await bootstrap.StandardError.ReadToEndAsync();
            await bootstrap.WaitForExitAsync();
            if (bootstrap.ExitCode != 0 || !File.Exists(parser))
            {
                throw new InvalidOperationException($"scripts/bootstrap.sh failed ({bootstrap.ExitCode}) to install the Adaptive Cards parser: {errors}");
            }
        }
        finally
        {
            BootstrapLock.Release();
        }
    }
}
