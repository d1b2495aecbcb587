using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Features.Chat;
using FusionBot.Features.Classification;
using FusionBot.Features.Intake;
using FusionBot.Features.Outbox;
using FusionBot.PowerPlatform;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Inventory;

/// <summary>
/// What makers and the CoE see of the inventory: <c>connectors</c> (what is allowed where), <c>platform sync</c> and
/// <c>portfolio ungoverned</c> (CoE admins), and the owner card's buttons (register with intake pre-filled, or link).
/// </summary>
public sealed class InventoryCommands(
    InventoryStore inventory,
    SolutionLinks links,
    IntakeHandler intake,
    IntakeQuestions questions,
    ConnectorCatalogue configured,
    AccessPolicy access,
    WorkOutbox outbox,
    IOptions<PowerPlatformOptions> options)
{
    private const int UngovernedLimit = 30;

    private bool Enabled(TurnContext turn) =>
        options.Value.Enabled && string.Equals(options.Value.TenantId, turn.TenantId(), StringComparison.OrdinalIgnoreCase);

    /// <summary><c>connectors</c>: per environment, which connectors are approved, need review or are blocked, and by which policies.</summary>
    public async Task ConnectorsAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var environments = Enabled(turn) ? await inventory.EnvironmentsAsync(turn.TenantId(), cancellationToken) : [];
        List<JsonNode> body = [Heading("Connectors: what is allowed where")];
        if (environments.Count == 0)
        {
            body.Add(TextBlock("From the CoE's connector catalogue (the same in every environment):", subtle: true));
            body.AddRange(Groups(configured.Connectors.Select(c => new EffectiveConnector(c.Id, c.Name, c.Status,
                c.Alternative is { } alternative ? $"use {alternative} instead" : ""))));
        }

        foreach (var environment in environments)
        {
            var header = environment.Environment.IsDefault ? $"{environment.Environment.DisplayName} (default)" : environment.Environment.DisplayName;
            body.Add(TextBlock(CardText.EscapeLine(header), TextSize.Medium, bold: true));
            body.Add(TextBlock(environment.Policies.Count == 0
                ? "No data policy covers it: the CoE's catalogue applies."
                : $"Data policies: {CardText.EscapeLine(string.Join(", ", environment.Policies))}. Anything not listed: ask the CoE.", subtle: true));
            body.AddRange(Groups(environment.Connectors));
        }

        body.Add(TextBlock("Needs review: allowed once a reviewer has looked at it (your request goes to Tier 2 or higher). Custom connectors and HTTP are always reviewed.", subtle: true));
        await turn.SendCardAsync(AdaptiveCardJson.Create(body), "Connectors: what is allowed where", cancellationToken);
    }

    /// <summary><c>platform sync</c> (CoE admins): takes stock of the tenant now, on whichever instance claims the work.</summary>
    public async Task SyncAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (!await access.IsAdminAsync(turn.Sender(), turn.TenantId(), cancellationToken))
        {
            await turn.SendTextAsync(access.RefuseNonAdmin("Only CoE admins can start a Power Platform sync.", turn.TenantId()), cancellationToken);
            return;
        }

        if (!Enabled(turn))
        {
            await turn.SendTextAsync("The Power Platform is not connected for this tenant: set `Platform:TenantId` (see docs/deployment.md).", cancellationToken);
            return;
        }

        // One per command: the same activity delivered again queues nothing new.
        await outbox.EnqueueAsync($"{PlatformSyncHandler.Kind}:{turn.TenantId()}:manual:{turn.Activity.Id}", PlatformSyncHandler.Kind,
            new PlatformSyncPayload(turn.TenantId()), cancellationToken: cancellationToken);
        await turn.SendTextAsync("Taking stock of the tenant's Power Platform now. Type **portfolio ungoverned** in a few minutes to see what is not registered.", cancellationToken);
    }

    /// <summary><c>portfolio ungoverned</c> (CoE admins): flagged solutions with no request, and whether their owner was asked or could not be reached.</summary>
    public async Task UngovernedAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (!await access.IsAdminAsync(turn.Sender(), turn.TenantId(), cancellationToken))
        {
            await turn.SendTextAsync(access.RefuseNonAdmin("Only CoE admins can see the ungoverned solutions.", turn.TenantId()), cancellationToken);
            return;
        }

        var solutions = Enabled(turn) ? await inventory.SolutionsAsync(turn.TenantId(), cancellationToken) : [];
        var asks = await inventory.AsksAsync(turn.TenantId(), cancellationToken);
        var ungoverned = solutions.Where(s => s.RequestId is null && s.Flags.Count > 0)
            .OrderByDescending(s => s.Solution.SharedWithEveryone).ThenByDescending(s => s.Solution.SharedWith).ToList();
        if (ungoverned.Count == 0)
        {
            await turn.SendTextAsync(Enabled(turn) ? "Nothing ungoverned: every flagged solution is registered." : "The Power Platform is not connected for this tenant: set `Platform:TenantId` (see docs/deployment.md).", cancellationToken);
            return;
        }

        var rows = ungoverned.Take(UngovernedLimit).Select(s =>
        {
            var owner = s.Solution.OwnerName ?? s.Solution.OwnerObjectId ?? "unknown owner";
            var asked = asks.TryGetValue(InventoryStore.Key(s.Solution), out var ask)
                ? ask.Delivered ? $"asked {ask.At:yyyy-MM-dd}" : "owner has no chat with the bot: reach them another way"
                : "owner to be asked";
            return ($"{OwnerCardHandler.Noun(s.Solution.Kind)} {CardText.EscapeLine(s.Solution.DisplayName)}",
                CardText.EscapeLine($"{owner} · {s.Solution.EnvironmentName} · {asked} · {string.Join("; ", s.Flags)}"));
        });
        await turn.SendCardAsync(AdaptiveCardJson.Create(
        [
            Heading($"Ungoverned: {CardWords.Count(ungoverned.Count, "solution")} not registered"),
            FactSet(rows),
            TextBlock(ungoverned.Count > UngovernedLimit ? $"The first {UngovernedLimit}, most widely shared first." : "Most widely shared first.", subtle: true),
        ]), $"{CardWords.Count(ungoverned.Count, "ungoverned solution")}", cancellationToken);
    }

    /// <summary>The owner pressed Register: intake starts with the answers the facts give, each to confirm.</summary>
    public async Task RegisterAsync(TurnContext turn, string key, CancellationToken cancellationToken)
    {
        if (await OwnSolutionAsync(turn, key, cancellationToken) is not { } record)
        {
            return;
        }

        var solution = record.Solution;
        var dialog = await intake.LoadAsync(turn, cancellationToken);
        await turn.SendTextAsync($"Let's register {CardText.EscapeLine(solution.DisplayName)}. I filled in what I found; type **yes** to keep a suggestion or give your own answer.", cancellationToken);
        await intake.StartForSolutionAsync(turn, dialog, Suggested(solution),
            new SolutionLink(solution.Kind, solution.EnvironmentName, solution.Id, solution.DisplayName), cancellationToken);
    }

    /// <summary>The owner pressed Link: the solution is linked to the request id they typed on the card.</summary>
    public async Task LinkAsync(TurnContext turn, string key, string? typedId, CancellationToken cancellationToken)
    {
        if (await OwnSolutionAsync(turn, key, cancellationToken) is not { } record)
        {
            return;
        }

        if (Command.Parse($"status {typedId}") is not { Name: CommandName.Status, Argument: { } requestId })
        {
            await turn.SendTextAsync("Type the request's id in the box (for example FR-000123), then press Link again.", cancellationToken);
            return;
        }

        var solution = record.Solution;
        var link = new SolutionLink(solution.Kind, solution.EnvironmentName, solution.Id, solution.DisplayName);
        var outcome = await links.LinkAsync(turn.TenantId(), requestId, link, turn.Sender(), cancellationToken);
        await turn.SendTextAsync(outcome.Result switch
        {
            LinkResult.Linked or LinkResult.AlreadyLinked => $"Linked: {requestId} is {CardText.EscapeLine(SolutionLinks.Describe(link))}. Thank you.",
            LinkResult.LinkedToAnotherRequest => $"That {OwnerCardHandler.Noun(solution.Kind)} is already linked to {outcome.OtherRequestId}.",
            _ => $"I can't find {requestId} among your requests. Type **my requests** to see them.",
        }, cancellationToken);
    }

    private async Task<SolutionRecord?> OwnSolutionAsync(TurnContext turn, string key, CancellationToken cancellationToken)
    {
        var record = Enabled(turn) ? await inventory.GetSolutionAsync(turn.TenantId(), key, cancellationToken) : null;
        var sender = turn.Sender();
        if (record is not null && (string.Equals(record.Solution.OwnerObjectId, sender.AadObjectId, StringComparison.OrdinalIgnoreCase)
            || await access.IsAdminAsync(sender, turn.TenantId(), cancellationToken)))
        {
            return record;
        }

        await turn.SendTextAsync("That card is about a solution I no longer find under your name. Type **new request** to register one.", cancellationToken);
        return null;
    }

    /// <summary>The intake answers the facts support: name, platform, audience and users from the sharing, data sources from the connectors.</summary>
    private IntakeAnswers Suggested(PlatformSolution solution)
    {
        var offered = questions.Get(IntakeQuestions.DataSources).Choices.Select(c => c.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sources = EnvironmentCatalogue.DataSources(solution.Connectors).Where(offered.Contains).ToList();
        var reach = solution.SharedWith;
        return new IntakeAnswers
        {
            SolutionName = solution.DisplayName,
            Platform = solution.Kind switch
            {
                SolutionKind.App => Platform.PowerApps,
                SolutionKind.Flow => Platform.PowerAutomate,
                SolutionKind.Agent => Platform.CopilotStudio,
                _ => Platform.Other,
            },
            Environment = solution.EnvironmentName,
            Audience = solution.SharedWithEveryone ? Audience.OrganisationOrExternal
                : reach >= 50 ? Audience.SeveralDepartments
                : reach >= 10 ? Audience.MyDepartment
                : Audience.MyTeam,
            ExpectedUsers = reach > 0 ? reach : null,
            DataSources = sources.Count > 0 ? sources : null,
        };
    }

    private static IEnumerable<JsonNode> Groups(IEnumerable<EffectiveConnector> connectors)
    {
        foreach (var group in connectors.GroupBy(c => c.Status).OrderBy(g => g.Key))
        {
            var title = group.Key switch
            {
                ConnectorStatus.Approved => "✅ Approved",
                ConnectorStatus.NeedsReview => "🔎 Needs review",
                _ => "⛔ Blocked",
            };
            yield return FactSet(group.Select((c, i) => (i == 0 ? title : "", CardText.EscapeLine(c.Reason.Length == 0 ? c.Name : $"{c.Name}: {c.Reason}"))));
        }
    }
}
