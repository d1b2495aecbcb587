namespace FusionBot.Features.Access;

/// <summary>Asks the directory (Microsoft Graph) whether a user is in a group.</summary>
public interface IGroupMembership
{
    Task<bool> IsMemberAsync(string aadObjectId, string groupId, CancellationToken cancellationToken);
}
