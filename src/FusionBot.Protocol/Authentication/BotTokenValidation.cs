using System.Security.Claims;
using FusionBot.Protocol.Models;

namespace FusionBot.Protocol.Authentication;

/// <summary>The outcome of checking an inbound bearer token, before the activity is known.</summary>
public sealed class BotTokenValidation
{
    private BotTokenValidation(
        bool isValid, string? failure, ClaimsIdentity? identity, string? issuer, IReadOnlyList<string>? endorsements, bool isUnavailable = false)
    {
        IsValid = isValid;
        IsUnavailable = isUnavailable;
        Failure = failure;
        Identity = identity;
        Issuer = issuer;
        Endorsements = endorsements;
    }

    /// <summary>What authentication off looks like: every request passes and nothing is checked against the activity.</summary>
    public static BotTokenValidation Anonymous { get; } = new(true, null, null, null, null);

    public bool IsValid { get; }

    /// <summary>The token could not be checked because the signing keys could not be fetched: a retry may succeed.</summary>
    public bool IsUnavailable { get; }

    internal static BotTokenValidation Unavailable { get; } = new(false, "the signing keys could not be fetched", null, null, null, isUnavailable: true);

    /// <summary>A short reason, safe to log (never the token).</summary>
    public string? Failure { get; }

    public ClaimsIdentity? Identity { get; }

    public string? Issuer { get; }

    /// <summary>The channels the signing key is endorsed for; null for Entra ID tokens, whose keys carry none.</summary>
    public IReadOnlyList<string>? Endorsements { get; }

    internal static BotTokenValidation Invalid(string failure) => new(false, failure, null, null, null);

    internal static BotTokenValidation Valid(ClaimsIdentity identity, string issuer, IReadOnlyList<string>? endorsements) =>
        new(true, null, identity, issuer, endorsements);

    /// <summary>
    /// Checks what ties a token to the activity it carries: the <c>serviceurl</c> claim (required on Bot Framework
    /// tokens, checked on Entra ID tokens when present) and, for Bot Framework tokens, the signing key's endorsement of
    /// the channel. Returns the failure, or null when the activity may be processed.
    /// </summary>
    public string? CheckActivity(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (Identity is null)
        {
            return null;
        }

        var isChannelToken = Issuer == AuthenticationConstants.BotFrameworkIssuer;
        var serviceUrl = Identity.FindFirst(AuthenticationConstants.ServiceUrlClaim)?.Value;
        if ((isChannelToken || serviceUrl is not null) &&
            (serviceUrl is null || !string.Equals(serviceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase)))
        {
            return "the token's serviceurl claim does not match the activity's serviceUrl";
        }

        if (isChannelToken &&
            (Endorsements is null || activity.ChannelId is null || !Endorsements.Contains(activity.ChannelId, StringComparer.OrdinalIgnoreCase)))
        {
            return "the signing key is not endorsed for the activity's channel";
        }

        return null;
    }
}
