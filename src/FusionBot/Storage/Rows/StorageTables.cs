namespace FusionBot.Storage.Rows;

/// <summary>The logical tables; each backend stores them under the configured prefix (prefix + name).</summary>
public static class StorageTables
{
    public const string Requests = "requests";
    public const string RequestCounters = "requestcounters";
    public const string RequestsByMaker = "requestsbymaker";
    public const string RequestHistory = "requesthistory";
    public const string DialogState = "dialogstate";
    public const string ConversationReferences = "conversationrefs";
    public const string DueWork = "duework";
    public const string ProcessedActivities = "processedactivities";
    public const string DigestSubscribers = "digestsubscribers";
    public const string ChannelRoutes = "channelroutes";
    public const string Components = "components";
    public const string ComponentUses = "componentuses";
    public const string ComponentOpens = "componentopens";
    public const string GuidelineAcknowledgements = "guidelineacks";
    public const string ReviewWaiting = "reviewwaiting";
    public const string RequestsPerDay = "requestsperday";
    public const string UsedLinks = "usedlinks";
    public const string Exports = "exports";
    public const string SolutionLinks = "solutionlinks";
    public const string SolutionIndex = "solutionindex";
    public const string PlatformEnvironments = "platformenvs";
    public const string PlatformSolutions = "platformsolutions";
    public const string PlatformAsks = "platformasks";
    public const string PlatformFound = "platformfound";
    public const string DeploymentGates = "deploymentgates";
    public const string BacklogItems = "backlogitems";
    public const string RequestsByPerson = "requestsbyperson";
    public const string Privacy = "privacy";

    // The report index (RequestIndex): one table per question, so a report's range read scans only its own kind of row.
    public const string ReportTiers = "reporttiers";
    public const string ReportLists = "reportlists";
    public const string ReportDurations = "reportdurations";
    public const string ReportDecided = "reportdecided";
    public const string ReportCreated = "reportcreated";
    public const string ReportEvents = "reportevents";

    public static IReadOnlyList<string> All { get; } =
    [
        Requests, RequestCounters, RequestsByMaker, RequestHistory, DialogState, ConversationReferences,
        DueWork, ProcessedActivities, DigestSubscribers, ChannelRoutes, Components, ComponentUses, ComponentOpens, GuidelineAcknowledgements,
        ReviewWaiting, RequestsPerDay, UsedLinks, Exports,
        SolutionLinks, SolutionIndex, PlatformEnvironments, PlatformSolutions, PlatformAsks, PlatformFound,
        DeploymentGates, BacklogItems, RequestsByPerson, Privacy,
        ReportTiers, ReportLists, ReportDurations, ReportDecided, ReportCreated, ReportEvents,
    ];
}
