using FusionBot.Features.Access;
using Microsoft.Graph;
using Microsoft.Graph.Users.Item.CheckMemberGroups;

namespace FusionBot.Graph;

/// <summary>Group membership (transitive) through Graph's checkMemberGroups.</summary>
public sealed class GraphGroupMembership(GraphServiceClient graph) : IGroupMembership
{
    public async Task<bool> IsMemberAsync(string aadObjectId, string groupId, CancellationToken cancellationToken)
    {
        var answer = await graph.Users[aadObjectId].CheckMemberGroups.PostAsCheckMemberGroupsPostResponseAsync(
            new CheckMemberGroupsPostRequestBody { GroupIds = [groupId] }, cancellationToken: cancellationToken);
        return answer?.Value?.Contains(groupId, StringComparer.OrdinalIgnoreCase) == true;
    }
}
