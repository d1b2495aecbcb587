using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace FusionBot.Protocol.Authentication;

/// <summary>A user-assigned managed identity (client id = MicrosoftAppId) asked for the Bot Framework scope.</summary>
public sealed class ManagedIdentityTokenSource : IBotTokenSource
{
    private static readonly TokenRequestContext Context = new([AuthenticationConstants.BotFrameworkScope]);
    private readonly TokenCredential credential;

    public ManagedIdentityTokenSource(IOptions<BotFrameworkOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.Value.MicrosoftAppId));
    }

    public async Task<BotAccessToken> AcquireAsync(CancellationToken cancellationToken)
    {
        var token = await credential.GetTokenAsync(Context, cancellationToken).ConfigureAwait(false);
        return new BotAccessToken(token.Token, token.ExpiresOn);
    }
}
