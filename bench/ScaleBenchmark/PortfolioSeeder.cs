using System.Globalization;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Bench;

/// <summary>
/// Seeds one tenant the way years of use leave it, through the app's own stores (so the rows, index rows included, have the app's shape):
/// requests created over two years, about 70 % decided, three to five history events each. Deterministic: the same
/// count gives the same data, so runs and stores compare.
/// </summary>
internal sealed class PortfolioSeeder(IRequestStore requests, IRequestHistoryStore history)
{
    private const int InFlight = 16;

    public async Task SeedAsync(string tenantId, int count, DateTimeOffset now)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (n, cancellationToken) =>
        {
            // The shape the request workflow leaves: the milestones on the row and the events written with it as a
            // pending transition (so the store indexes them), then recorded in the history and cleared.
            var shape = Shape(n, now);
            var request = Request(tenantId, n, shape) with { Id = await requests.NewIdAsync(cancellationToken) };
            var events = Events(request, shape).Select((e, i) => e with { Id = string.Create(CultureInfo.InvariantCulture, $"seed-{i}") }).ToList();
            var stored = await requests.CreateAsync(request with
            {
                Milestones = RequestMilestones.From(events, request.Tier),
                Pending = [new PendingTransition("seed", events, [], false)],
            }, cancellationToken);
            foreach (var historyEvent in events)
            {
                await history.AppendAsync(historyEvent, cancellationToken);
            }

            await requests.UpdateAsync(stored with { Pending = [] }, cancellationToken);
        });
    }

    private static RequestShape Shape(int n, DateTimeOffset now)
    {
        var random = new Random(n);
#pragma warning disable CA5394 // Seed data, not security.
        var tier = random.Next(100) switch { < 35 => 1, < 70 => 2, < 90 => 3, _ => 4 };
        var created = now.AddDays(-random.Next(730)).AddMinutes(-random.Next(1440));
        var decided = random.Next(100) < 70;
        var hoursToDecision = random.Next(1, 120);
        var outcome = random.Next(100);
        var hoursSaved = random.Next(4) == 0 ? (double?)null : random.Next(1, 20);
        var checkedRound = decided && random.Next(10) == 0 ? 1 : 0;
#pragma warning restore CA5394
        var status = !decided
            ? (tier == 1 ? RequestStatus.Submitted : RequestStatus.PendingReview)
            : tier switch
            {
                1 => RequestStatus.SelfCertified,
                4 => outcome < 60 ? RequestStatus.Delivered : RequestStatus.InDevelopment,
                _ => outcome < 75 ? RequestStatus.Approved : outcome < 90 ? RequestStatus.ChangesRequested : RequestStatus.Rejected,
            };
        return new RequestShape(tier, status, created, decided ? created.AddHours(hoursToDecision) : null, hoursSaved, checkedRound);
    }

    private static GovernanceRequest Request(string tenantId, int n, RequestShape shape) => new()
    {
        Id = "pending",
        TenantId = tenantId,
        Title = string.Create(CultureInfo.InvariantCulture, $"Solution {n}"),
        Answers = new IntakeAnswers
        {
            SolutionName = string.Create(CultureInfo.InvariantCulture, $"Solution {n}"),
            Purpose = "Tracks invoices and approvals for the finance team",
            Platform = n % 3 == 0 ? Platform.PowerAutomate : Platform.PowerApps,
            Audience = (Audience)(shape.Tier - 1),
            ExpectedUsers = 10 * shape.Tier,
            DataSources = ["sharepoint"],
            Sensitivity = DataSensitivity.Internal,
            CustomCode = CustomCode.None,
            HoursSavedPerWeek = shape.HoursSaved,
        },
        Tier = shape.Tier,
        Reasons = [string.Create(CultureInfo.InvariantCulture, $"Seeded as Tier {shape.Tier}")],
        Status = shape.Status,
        Maker = new Person(string.Create(CultureInfo.InvariantCulture, $"29:maker-{n % 500}"), null, string.Create(CultureInfo.InvariantCulture, $"Maker {n % 500}")),
        CreatedAt = shape.Created,
        UpdatedAt = shape.Decided ?? shape.Created,
        DueAt = shape.Tier == 1 ? null : shape.Created.AddHours(48),
        ReviewCycle = shape.Tier == 1 ? 0 : 1,
        PortfolioCheck = shape.CheckedRound > 0 ? new PortfolioCheck(shape.CheckedRound, shape.Decided!.Value.AddDays(90)) : null,
    };

    private static IEnumerable<RequestHistoryEvent> Events(GovernanceRequest request, RequestShape shape)
    {
        var maker = request.Maker;
        var reviewer = new Person("29:reviewer", null, "Reviewer");
        yield return Event(request, shape.Created, RequestActions.Submitted, maker, null, RequestStatus.Submitted);
        if (shape.Tier > 1)
        {
            yield return Event(request, shape.Created.AddSeconds(1), RequestActions.SentForReview, maker, RequestStatus.Submitted, RequestStatus.PendingReview);
        }

        if (shape.Decided is not { } decided)
        {
            yield break;
        }

        var action = request.Status switch
        {
            RequestStatus.SelfCertified => RequestActions.SelfCertified,
            RequestStatus.Approved => RequestActions.Approved,
            RequestStatus.ChangesRequested => RequestActions.ChangesRequested,
            RequestStatus.Rejected => RequestActions.Rejected,
            _ => RequestActions.OwnershipTaken,
        };
        yield return Event(request, decided, action, shape.Tier == 1 ? maker : reviewer, RequestStatus.PendingReview, request.Status);
        if (request.Status == RequestStatus.Delivered)
        {
            yield return Event(request, decided.AddDays(30), RequestActions.Delivered, reviewer, RequestStatus.InDevelopment, RequestStatus.Delivered);
        }
    }

    private static RequestHistoryEvent Event(GovernanceRequest request, DateTimeOffset at, string action, Person actor, RequestStatus? before, RequestStatus after) => new()
    {
        RequestId = request.Id,
        At = at,
        Action = action,
        Actor = actor,
        StatusBefore = before,
        StatusAfter = after,
        TierAfter = request.Tier,
    };

    private sealed record RequestShape(int Tier, RequestStatus Status, DateTimeOffset Created, DateTimeOffset? Decided, double? HoursSaved, int CheckedRound);
}
