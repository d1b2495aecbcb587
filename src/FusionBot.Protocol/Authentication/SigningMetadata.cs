using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace FusionBot.Protocol.Authentication;

/// <summary>An issuer's signing keys plus, per key id, the channels the key is endorsed for.</summary>
internal sealed class SigningMetadata
{
    public required IReadOnlyList<SecurityKey> Keys { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<string>> EndorsementsByKeyId { get; init; }
}

/// <summary>
/// Reads an OpenID metadata document and its JWKS. The endorsements are read from the raw JWKS JSON because they are
/// a Bot Framework extension the standard key model does not name.
/// </summary>
internal sealed class SigningMetadataRetriever : IConfigurationRetriever<SigningMetadata>
{
    public async Task<SigningMetadata> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var metadata = OpenIdConnectConfiguration.Create(await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false));
        if (string.IsNullOrEmpty(metadata.JwksUri))
        {
            throw new InvalidOperationException($"The OpenID metadata at {address} has no jwks_uri.");
        }

        var jwks = await retriever.GetDocumentAsync(metadata.JwksUri, cancel).ConfigureAwait(false);
        return new SigningMetadata
        {
            Keys = [.. new JsonWebKeySet(jwks).GetSigningKeys()],
            EndorsementsByKeyId = ReadEndorsements(jwks),
        };
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadEndorsements(string jwks)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(jwks);
        if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return result;
        }

        foreach (var key in keys.EnumerateArray())
        {
            if (key.ValueKind == JsonValueKind.Object &&
                key.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String &&
                key.TryGetProperty(AuthenticationConstants.EndorsementsMember, out var endorsements) && endorsements.ValueKind == JsonValueKind.Array)
            {
                result[kid.GetString()!] = [.. endorsements.EnumerateArray()
                    .Where(e => e.ValueKind == JsonValueKind.String)
                    .Select(e => e.GetString()!)];
            }
        }

        return result;
    }
}
