using System.Security.Cryptography;
using System.Text;
using FusionBot.Storage;

namespace FusionBot.Requests;

/// <summary>A person whose personal data is erased: the ids they were known by, and the pseudonym that replaces them.</summary>
public sealed record ErasedPerson(string TenantId, string TeamsId, string? AadObjectId)
{
    /// <summary>
    /// The same for the same person in a tenant (a hash of tenant and Teams id), so counts per maker or reviewer stay
    /// right. Teams user ids are opaque and specific to the bot, and are themselves erased, so nobody can recompute it.
    /// </summary>
    public Person Pseudonym { get; } = PseudonymOf(TenantId, TeamsId);

    public bool Matches(Person? person) =>
        person is not null && (person.Id == TeamsId
            || AadObjectId is { Length: > 0 } aad && (string.Equals(person.AadObjectId, aad, StringComparison.OrdinalIgnoreCase) || person.Id == aad));

    public Person Replace(Person person) => Matches(person) ? Pseudonym : person;

    private static Person PseudonymOf(string tenantId, string teamsId)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenantId + "|" + teamsId)))[..16];
        return new Person("erased-" + hash, null, "Erased person " + hash[..6]);
    }
}

/// <summary>
/// Erasure's change to requests and their history: the one change outside <see cref="RequestLifecycle"/>, because it
/// changes who, not what. The status, tier, times and every event stay (the audit keeps its shape and the figures stay
/// right); the person's name and ids are replaced by their pseudonym on the request (maker, reviewer, pending events),
/// in the maker index and in each history event they took, their 1:1 address goes, and a "personal data erased" event
/// records who erased and when. Each write is ETag-guarded and the whole is safe to repeat.
/// </summary>
public sealed class RequestPseudonymisation(IRequestStore requests, IRequestHistoryStore history, RequestWorkflow workflow)
{
    private const int MaxAttempts = 5;

    /// <summary>Pseudonymises <paramref name="person"/> in the request; false when the request is gone.</summary>
    public async Task<bool> PseudonymiseAsync(string tenantId, string requestId, ErasedPerson person, Person erasedBy, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        GovernanceRequest? request = null;
        for (var attempt = 1; ; attempt++)
        {
            request = await requests.GetAsync(tenantId, requestId, cancellationToken);
            if (request is null)
            {
                return false;
            }

            if (!Mentions(request, person))
            {
                break;
            }

            try
            {
                request = await requests.UpdateAsync(Pseudonymise(request, person), cancellationToken);
                break;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Changed meanwhile (a decision): pseudonymise the request as it is now.
            }
        }

        if (request.Maker.Id == person.Pseudonym.Id)
        {
            // Also after a retry that found the request already changed: the index may not have moved yet.
            await requests.MoveMakerIndexAsync(tenantId, requestId, person.TeamsId, person.Pseudonym.Id, cancellationToken);
        }

        await history.ReplaceActorAsync(requestId, person.Matches, person.Pseudonym, cancellationToken);
        await workflow.RecordAsync(tenantId, new RequestHistoryEvent
        {
            RequestId = requestId,
            At = at,
            Action = RequestActions.PersonalDataErased,
            Actor = erasedBy,
            StatusBefore = request.Status,
            StatusAfter = request.Status,
            Comment = $"The name and ids of {person.Pseudonym.Name} were replaced by a pseudonym.",
        }, "erased-" + person.Pseudonym.Id, cancellationToken);
        return true;
    }

    private static bool Mentions(GovernanceRequest request, ErasedPerson person) =>
        person.Matches(request.Maker) || person.Matches(request.Reviewer)
        || request.Pending.Any(p => p.Events.Any(e => person.Matches(e.Actor)));

    private static GovernanceRequest Pseudonymise(GovernanceRequest request, ErasedPerson person) => request with
    {
        Maker = person.Replace(request.Maker),
        MakerConversation = person.Matches(request.Maker) ? null : request.MakerConversation,
        Reviewer = request.Reviewer is null ? null : person.Replace(request.Reviewer),
        Pending = [.. request.Pending.Select(p => p with { Events = [.. p.Events.Select(e => e with { Actor = person.Replace(e.Actor) })] })],
    };
}
