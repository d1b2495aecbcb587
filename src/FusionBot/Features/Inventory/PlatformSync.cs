using System.Globalization;
using FusionBot.Features.Classification;
using FusionBot.Features.Outbox;
using FusionBot.PowerPlatform;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Inventory;

/// <summary>A sync of one tenant; <see cref="Day"/> is set for the daily run, which queues the next day's as it starts.</summary>
public sealed record PlatformSyncPayload(string TenantId, DateOnly? Day = null);

/// <summary>
/// Takes stock of the tenant's Power Platform, as one outbox item (so one instance runs it, and a failed run is retried):
/// environments and the connectors' standing in each under the data policies; every app, flow and agent with its
/// facts; for each unregistered solution a rule flags, its owner asked once (<see cref="OwnerCardHandler"/>); for each
/// linked solution that crossed a tier boundary since the last sync, its periodic review started at once.
/// </summary>
public sealed partial class PlatformSyncHandler(
    PowerPlatformClient client,
    InventoryStore inventory,
    SolutionLinks links,
    IRequestStore requests,
    RequestWorkflow workflow,
    IPeriodicReviewPlanner reviews,
    WorkOutbox outbox,
    ConnectorCatalogue configured,
    IOptions<PowerPlatformOptions> options,
    TimeProvider time,
    ILogger<PlatformSyncHandler> logger) : OutboxHandler<PlatformSyncPayload>(Kind)
{
    public const string Kind = "platform-sync";

    public static string DailyId(string tenantId, DateOnly day) => $"{Kind}:{tenantId}:{day:yyyyMMdd}";

    protected override async Task HandleAsync(PlatformSyncPayload payload, CancellationToken cancellationToken)
    {
        var tenantId = payload.TenantId;
        var now = time.GetUtcNow();
        if (payload.Day is { } day)
        {
            // Tomorrow's run first: a day the service refuses (retried, then given up) must not end the daily chain.
            await ScheduleAsync(outbox, tenantId, day.AddDays(1), options.Value, cancellationToken);
        }

        var environments = await client.GetEnvironmentsAsync(cancellationToken);
        var policies = await client.GetDlpPoliciesAsync(cancellationToken);
        var (found, flagged) = (0, 0);
        foreach (var environment in environments)
        {
            var catalogue = new EnvironmentCatalogue(environment.Name, policies, configured);
            await inventory.SaveEnvironmentAsync(tenantId, new EnvironmentRecord(environment, catalogue.PolicyNames, catalogue.Listed(), now)
            {
                InForce = [.. policies.Where(p => p.AppliesTo(environment.Name))],
            }, cancellationToken);
            var solutions = (await ReadAsync("apps", () => client.GetAppsAsync(environment.Name, cancellationToken)))
                .Concat(await ReadAsync("flows", () => client.GetFlowsAsync(environment.Name, cancellationToken)))
                .Concat(await ReadAsync("agents", () => client.GetAgentsAsync(environment, cancellationToken)));
            foreach (var solution in solutions.Where(s => s.Id.Length > 0))
            {
                found++;
                if (await SyncSolutionAsync(tenantId, solution, environment, catalogue, now, cancellationToken))
                {
                    flagged++;
                }
            }
        }

        LogSynced(logger, environments.Count, policies.Count, found, flagged);
    }

    /// <summary>
    /// One list of one environment; when the service refuses it (no Dataverse access for the agents, throttled beyond
    /// the limit) the rest of the sync goes on and what was stored from that list stays as the last sync saw it.
    /// </summary>
    private async Task<IReadOnlyList<PlatformSolution>> ReadAsync(string what, Func<Task<IReadOnlyList<PlatformSolution>>> read)
    {
        try
        {
            return await read();
        }
        catch (PowerPlatformException exception)
        {
            LogListFailed(logger, what, (int?)exception.Status, exception.ErrorCode);
            return [];
        }
    }

    /// <summary>Queues the daily sync of <paramref name="day"/> at the configured time, once under its id.</summary>
    public static Task ScheduleAsync(WorkOutbox outbox, string tenantId, DateOnly day, PowerPlatformOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(options);
        var at = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + options.SyncAt;
        return outbox.EnqueueAsync(DailyId(tenantId, day), Kind, new PlatformSyncPayload(tenantId, day), at, cancellationToken: cancellationToken);
    }

    /// <returns>Whether the solution is unregistered and flagged.</returns>
    private async Task<bool> SyncSolutionAsync(
        string tenantId, PlatformSolution solution, PlatformEnvironment environment, EnvironmentCatalogue catalogue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = InventoryStore.Key(solution);
        var previous = await inventory.GetSolutionAsync(tenantId, key, cancellationToken);
        var requestId = await links.FindRequestAsync(tenantId, solution.Kind, solution.EnvironmentName, solution.Id, cancellationToken);
        var flags = requestId is null ? DiscoveryRules.Reasons(solution, environment, catalogue, options.Value, now) : [];
        await inventory.SaveSolutionAsync(tenantId, new SolutionRecord(solution, flags, requestId, previous?.FirstSeen ?? now, now), cancellationToken);
        if (requestId is null ? previous is null : previous is { RequestId: null })
        {
            // Found unregistered now, or registered since the last sync: the digest's "found / registered this week".
            await inventory.SaveFoundAsync(tenantId, new FoundSolution(key, previous?.FirstSeen ?? now, Registered: requestId is not null), cancellationToken);
        }

        if (requestId is not null)
        {
            if (previous is not null)
            {
                await RecheckAsync(tenantId, requestId, previous.Solution, solution, catalogue, cancellationToken);
            }

            return false;
        }

        if (flags.Count == 0)
        {
            return false;
        }

        // Asked once per solution, ever: the item id is fixed, and once it ran the ask row stops new items.
        if (await inventory.GetAskAsync(tenantId, key, cancellationToken) is null)
        {
            await outbox.EnqueueAsync(OwnerCardHandler.ItemId(tenantId, key), OwnerCardHandler.Kind, new OwnerCardPayload(tenantId, key), cancellationToken: cancellationToken);
        }

        return true;
    }

    /// <summary>A linked solution that crossed a tier boundary since the last sync has its periodic review asked now, with the facts.</summary>
    private async Task RecheckAsync(
        string tenantId, string requestId, PlatformSolution before, PlatformSolution now, EnvironmentCatalogue catalogue, CancellationToken cancellationToken)
    {
        var threshold = options.Value.ReviewWhenSharedWith;
        var crossings = new List<(string Key, string Facts)>();
        if (before.SharedWith < threshold && now.SharedWith >= threshold)
        {
            crossings.Add(($"shared-{threshold}", string.Create(CultureInfo.InvariantCulture,
                $"{CardWordsFor(now)} {now.DisplayName} is now shared with {now.SharedWith} people and groups, was {before.SharedWith}")));
        }

        if (!before.SharedWithEveryone && now.SharedWithEveryone)
        {
            crossings.Add(("everyone", $"{CardWordsFor(now)} {now.DisplayName} is now shared with everyone in the organisation"));
        }

        var known = before.Connectors.Select(c => c.ApiName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var connector in now.Connectors.Where(c => !known.Contains(c.ApiName)))
        {
            var standing = catalogue.Classify(connector);
            if (standing.Status != ConnectorStatus.Approved || EnvironmentCatalogue.EnterpriseConnectors.Contains(connector.ApiName))
            {
                crossings.Add(($"connector-{connector.ApiName.ToLowerInvariant()}", $"{CardWordsFor(now)} {now.DisplayName} now uses {standing.Name} ({standing.Reason})"));
            }
        }

        if (crossings.Count == 0 || await requests.GetAsync(tenantId, requestId, cancellationToken) is not { } request)
        {
            return;
        }

        var facts = string.Join("; ", crossings.Select(c => c.Facts));
        var crossing = string.Join("+", crossings.Select(c => c.Key));
        if (reviews.ReviewNow(request, facts, crossing) is not { } item)
        {
            return;
        }

        await workflow.RecordAsync(new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = time.GetUtcNow(),
            Action = RequestActions.SolutionGrew,
            Actor = RequestActors.FusionBot,
            StatusAfter = request.Status,
            TierAfter = request.Tier,
            Comment = facts,
        }, $"grew-{item.Id}", cancellationToken);
        await outbox.EnqueueAsync(item, cancellationToken);
        LogRecheck(logger, request.Id);
    }

    private static string CardWordsFor(PlatformSolution solution) => solution.Kind switch
    {
        SolutionKind.App => "The app",
        SolutionKind.Flow => "The flow",
        SolutionKind.Agent => "The agent",
        _ => "The solution",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Power Platform synced: {Environments} environments, {Policies} data policies, {Solutions} solutions, {Flagged} unregistered and flagged")]
    private static partial void LogSynced(ILogger logger, int environments, int policies, int solutions, int flagged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Power Platform {What} of one environment could not be read ({Status} {ErrorCode}); the rest of the sync goes on")]
    private static partial void LogListFailed(ILogger logger, string what, int? status, string? errorCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} crossed a tier boundary in the inventory; its periodic review is asked now")]
    private static partial void LogRecheck(ILogger logger, string requestId);
}

/// <summary>At startup, makes sure today's or tomorrow's daily sync is queued (every instance does; the id makes it one).</summary>
public sealed partial class PlatformSyncStartup(WorkOutbox outbox, IOptions<PowerPlatformOptions> options, TimeProvider time, ILogger<PlatformSyncStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        if (now.TimeOfDay >= settings.SyncAt)
        {
            day = day.AddDays(1);
        }

        try
        {
            await PlatformSyncHandler.ScheduleAsync(outbox, settings.TenantId!, day, settings, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not queue the daily Power Platform sync; it is queued again at the next start")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
