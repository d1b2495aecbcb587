using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Pipelines;

/// <summary>
/// The signed webhook, for a sender that cannot get an Entra token: <c>X-FusionBot-Timestamp</c> (unix seconds) and
/// <c>X-FusionBot-Signature: sha256=</c> the hex HMAC-SHA256, keyed with <see cref="PipelinesOptions.WebhookSecret"/>,
/// of the timestamp, a dot and the raw body. The timestamp is signed so it cannot be moved; a call older or newer than
/// <see cref="Tolerance"/> is refused, and a signature is accepted once (remembered until it would be stale anyway), so
/// a captured call cannot be replayed. Signatures are compared in constant time.
/// </summary>
public sealed partial class PipelineSignatures(IOptions<PipelinesOptions> options, IUsedLinkStore used, TimeProvider time, ILogger<PipelineSignatures> logger)
{
    public const string TimestampHeader = "X-FusionBot-Timestamp";
    public const string SignatureHeader = "X-FusionBot-Signature";
    public const string SignaturePrefix = "sha256=";
    public const int MinSecretLength = 32;
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>The tenant the call speaks for, or null when it is not signed with the secret, stale, or a replay.</summary>
    public async Task<string?> AuthenticateAsync(string? timestamp, string? signature, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.WebhookSecret) || settings.TenantId is not { Length: > 0 } tenant)
        {
            return null;
        }

        if (timestamp is null || signature is null || !signature.StartsWith(SignaturePrefix, StringComparison.Ordinal)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
        {
            LogRefused(logger, "a signature or timestamp header is missing or malformed");
            return null;
        }

        var sentAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((time.GetUtcNow() - sentAt).Duration() > Tolerance)
        {
            LogRefused(logger, "its timestamp is outside the tolerance window");
            return null;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan(SignaturePrefix.Length));
        }
        catch (FormatException)
        {
            LogRefused(logger, "the signature is not hex");
            return null;
        }

        var expected = Mac(Encoding.UTF8.GetBytes(settings.WebhookSecret), timestamp, body.Span);
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            LogRefused(logger, "the signature does not match");
            return null;
        }

        // Remembered until the timestamp is stale on every instance, after which the window check refuses it by itself.
        if (!await used.TryUseAsync(tenant, "pipelines-webhook-" + Convert.ToHexStringLower(expected), sentAt + Tolerance, cancellationToken))
        {
            LogRefused(logger, "the signature was used before (a replay)");
            return null;
        }

        return tenant;
    }

    private static byte[] Mac(byte[] key, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signed pipelines gate call refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
