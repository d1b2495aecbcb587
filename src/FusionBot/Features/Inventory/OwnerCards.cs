using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Graph;
using FusionBot.PowerPlatform;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Inventory;

/// <summary>Which solution's owner to ask: the inventory key (kind|environment|id); <see cref="AfterInstall"/> once the bot was installed for them.</summary>
public sealed record OwnerCardPayload(string TenantId, string Key, bool AfterInstall = false);

/// <summary>
/// Asks the owner of an unregistered, flagged solution, once, in their 1:1 chat: what was found, why it matters, and
/// a button that starts intake pre-filled from the facts (or links it to a request they already filed). An owner the
/// bot cannot reach yet (no 1:1 chat) gets the bot installed through Graph when <see cref="PowerPlatformOptions.TeamsAppId"/>
/// is set, and is asked again after <see cref="PowerPlatformOptions.InstallWait"/> (Teams meanwhile tells the bot of the
/// new chat); otherwise, or still unreachable then, it is recorded as such and listed by <c>portfolio ungoverned</c>.
/// </summary>
public sealed partial class OwnerCardHandler(
    InventoryStore inventory,
    SolutionLinks links,
    IRequestStore requests,
    IConversationReferenceStore references,
    ConnectorClient connector,
    WorkOutbox outbox,
    IOptions<PowerPlatformOptions> options,
    IOptions<GraphOptions> graphOptions,
    TimeProvider time,
    ILogger<OwnerCardHandler> logger,
    GraphServiceClient? graph = null) : OutboxHandler<OwnerCardPayload>(Kind)
{
    public const string Kind = "platform-owner";

    public static string ItemId(string tenantId, string key) => $"{Kind}:{tenantId}:{key}";

    protected override async Task HandleAsync(OwnerCardPayload payload, CancellationToken cancellationToken)
    {
        var record = await inventory.GetSolutionAsync(payload.TenantId, payload.Key, cancellationToken);
        if (record is null || await inventory.GetAskAsync(payload.TenantId, payload.Key, cancellationToken) is not null)
        {
            return;
        }

        var solution = record.Solution;
        if (await links.FindRequestAsync(payload.TenantId, solution.Kind, solution.EnvironmentName, solution.Id, cancellationToken) is not null)
        {
            return;
        }

        var reference = string.IsNullOrEmpty(solution.OwnerObjectId)
            ? null
            : await references.GetForUserAsync(payload.TenantId, solution.OwnerObjectId, null, cancellationToken);
        if (reference is null && !payload.AfterInstall && await InstallForOwnerAsync(solution.OwnerObjectId, cancellationToken))
        {
            await outbox.EnqueueAsync(ItemId(payload.TenantId, payload.Key) + ":installed", Kind, payload with { AfterInstall = true },
                time.GetUtcNow() + options.Value.InstallWait, cancellationToken: cancellationToken);
            return;
        }

        if (reference is null)
        {
            await inventory.SaveAskAsync(payload.TenantId, payload.Key, new OwnerAsk(time.GetUtcNow(), Delivered: false, solution.OwnerObjectId), cancellationToken);
            LogUnreachable(Logger, solution.Kind);
            return;
        }

        await connector.SendToReferenceAsync(reference, new Activity
        {
            Type = ActivityTypes.Message,
            Summary = $"Your {Noun(solution.Kind)} {CardText.Truncate(solution.DisplayName, 60)} is not registered yet",
            Attachments = [OwnerCard.Build(payload.Key, record, proposal: await ProposeAsync(payload.TenantId, reference, solution, cancellationToken)).ToAttachment()],
        }, cancellationToken);
        // After the send: a crash in between sends once more, never not at all. The follow-ups before the ask, which
        // stops this item from running again.
        var askedAt = time.GetUtcNow();
        await OwnerFollowUpHandler.ScheduleAsync(outbox, payload.TenantId, payload.Key, askedAt, options.Value, cancellationToken);
        await inventory.SaveAskAsync(payload.TenantId, payload.Key, new OwnerAsk(askedAt, Delivered: true, solution.OwnerObjectId), cancellationToken);
        LogAsked(Logger, solution.Kind);
    }

    private ILogger Logger => logger;

    /// <summary>
    /// The owner's own request this solution most likely is (its title resembles the solution's name, it is not closed
    /// and stands for no solution yet), proposed on the card for one click to link; null when none does.
    /// </summary>
    private async Task<GovernanceRequest?> ProposeAsync(string tenantId, ConversationReference owner, PlatformSolution solution, CancellationToken cancellationToken)
    {
        if (owner.User?.Id is not { Length: > 0 } ownerId)
        {
            return null;
        }

        var candidates = (await requests.ListByMakerAsync(tenantId, ownerId, ProposalCandidates, cancellationToken))
            .Where(r => r.Status is not (RequestStatus.Withdrawn or RequestStatus.Rejected) && NameResemblance.Resembles(r.Title, solution.DisplayName))
            .OrderByDescending(r => NameResemblance.Score(r.Title, solution.DisplayName));
        foreach (var candidate in candidates)
        {
            if ((await links.ForRequestAsync(tenantId, candidate.Id, cancellationToken)).Count == 0)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The owner's latest requests looked at for a proposal.</summary>
    private const int ProposalCandidates = 50;

    /// <summary>Installs the bot in the owner's personal scope; true when it is installed now (or already was).</summary>
    private async Task<bool> InstallForOwnerAsync(string? ownerObjectId, CancellationToken cancellationToken)
    {
        if (graph is null || string.IsNullOrWhiteSpace(options.Value.TeamsAppId) || string.IsNullOrEmpty(ownerObjectId))
        {
            return false;
        }

        try
        {
            await graph.Users[ownerObjectId].Teamwork.InstalledApps.PostAsync(new UserScopeTeamsAppInstallation
            {
                AdditionalData = new Dictionary<string, object>
                {
                    ["teamsApp@odata.bind"] = $"{graphOptions.Value.EffectiveBaseUrl}/appCatalogs/teamsApps/{Uri.EscapeDataString(options.Value.TeamsAppId)}",
                },
            }, cancellationToken: cancellationToken);
        }
        catch (ODataError error) when (error.ResponseStatusCode == 409)
        {
            // Installed already (the owner removed the chat, or another instance got here first): ask again all the same.
        }
        catch (ODataError error)
        {
            LogInstallFailed(Logger, error.ResponseStatusCode, error.Error?.Code);
            return false;
        }

        LogInstalled(Logger);
        return true;
    }

    internal static string Noun(SolutionKind kind) => kind switch
    {
        SolutionKind.App => "app",
        SolutionKind.Flow => "flow",
        SolutionKind.Agent => "agent",
        _ => "solution",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner of an unregistered {Kind} asked to register it")]
    private static partial void LogAsked(ILogger logger, SolutionKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "FusionBot installed for the owner of an unregistered solution; the card follows")]
    private static partial void LogInstalled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not install FusionBot for an owner ({Status} {Code}); listed for the CoE")]
    private static partial void LogInstallFailed(ILogger logger, int status, string? code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner of an unregistered {Kind} has no chat with the bot; listed for the CoE")]
    private static partial void LogUnreachable(ILogger logger, SolutionKind kind);
}

/// <summary>The owner's card: the facts, the reasons, Register (pre-filled intake) and Link to a request already filed.</summary>
public static class OwnerCard
{
    public const string RegisterKey = "platformRegister";
    public const string LinkKey = "platformLink";
    public const string RequestInputKey = "platformRequest";

    /// <param name="reminder">The reminder of a card left unanswered: the same card, saying so.</param>
    /// <param name="proposal">The owner's request it probably is: offered first, to link with one click.</param>
    public static JsonObject Build(string key, SolutionRecord record, bool reminder = false, GovernanceRequest? proposal = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var solution = record.Solution;
        var noun = OwnerCardHandler.Noun(solution.Kind);
        List<(string, string)> facts =
        [
            ("Environment", CardText.EscapeLine(solution.EnvironmentName)),
            ("Created", solution.CreatedAt is { } created ? created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "unknown"),
            ("Shared with", solution.SharedWithEveryone ? "everyone" : string.Create(CultureInfo.InvariantCulture, $"{solution.SharedUsers} people, {solution.SharedGroups} groups")),
        ];
        if (solution.Connectors.Count > 0)
        {
            facts.Add(("Connectors", CardText.EscapeLine(string.Join(", ", solution.Connectors.Select(c => string.IsNullOrEmpty(c.DisplayName) ? c.ApiName : c.DisplayName)))));
        }

        List<JsonObject> proposed = proposal is null ? [] :
        [
            CardActions.Submit($"It is {proposal.Id}: link them", new JsonObject { [LinkKey] = key, [RequestInputKey] = proposal.Id }, withInputs: false, style: ActionStyle.Positive),
        ];
        return AdaptiveCardJson.Create(
        [
            Heading($"{(reminder ? "Reminder: your" : "Your")} {noun} {CardText.EscapeLine(solution.DisplayName)} is not registered yet"),
            FactSet(facts),
            TextBlock("It matters because:", bold: true),
            .. record.Flags.Select(f => TextBlock("• " + CardText.EscapeLine(f))),
            .. proposal is null ? Array.Empty<JsonObject>() :
            [
                Container([TextBlock($"Is it your request {proposal.Id}, {CardText.EscapeLine(proposal.Title)}? Then link them and you are done.")], ContainerStyle.Accent),
            ],
            TextBlock($"Registering it takes a few minutes: the answers are filled in from what I found, you confirm each. Already filed a request for it? Give its id and I'll link them."),
            CardInputs.Text(RequestInputKey, "Request id (only if you already filed one)", placeholder: "FR-000123"),
        ],
        [
            .. proposed,
            CardActions.Submit("Register it", new JsonObject { [RegisterKey] = key }, withInputs: false, style: proposal is null ? ActionStyle.Positive : ActionStyle.Default),
            CardActions.Submit("Link to my request", new JsonObject { [LinkKey] = key }),
        ]);
    }
}
