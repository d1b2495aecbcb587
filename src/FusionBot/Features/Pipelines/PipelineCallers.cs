using FusionBot.Protocol.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace FusionBot.Features.Pipelines;

/// <summary>
/// Who may call the gate: an Entra ID token issued by <see cref="PipelinesOptions.TenantId"/> for the bot's app id,
/// signed by that tenant's published key, whose caller (<c>azp</c>, v1 <c>appid</c>) is on
/// <see cref="PipelinesOptions.AllowedCallers"/>. Any app in the tenant can get a token for the bot's audience, so the
/// caller list is what makes it the pipelines host. Without a bot app id there is no audience to check: nobody passes.
/// </summary>
public sealed partial class PipelineCallers
{
    public const string MetadataHttpClientName = "FusionBot.Pipelines.OpenIdMetadata";
    private const string BearerPrefix = "Bearer ";
    private readonly PipelinesOptions _options;
    private readonly string? _audience;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ILogger<PipelineCallers> _logger;

    public PipelineCallers(IOptions<PipelinesOptions> options, IOptions<BotFrameworkOptions> bot, IHttpClientFactory httpClientFactory, ILogger<PipelineCallers> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(bot);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _options = options.Value;
        _audience = bot.Value.MicrosoftAppId;
        _logger = logger;
        if (_options.IsConfigured && _options.TenantId is { Length: > 0 } tenant)
        {
            var address = bot.Value.EntraOpenIdMetadataUrlTemplate.Replace("{tenant}", tenant, StringComparison.Ordinal);
            var retriever = new HttpDocumentRetriever(httpClientFactory.CreateClient(MetadataHttpClientName)) { RequireHttps = !new Uri(address).IsLoopback };
            _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(address, new OpenIdConnectConfigurationRetriever(), retriever);
        }
    }

    /// <summary>The tenant the call speaks for (the host's), or null when the caller is not the pipelines host.</summary>
    public async Task<string?> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (_metadata is null || string.IsNullOrEmpty(_audience)
            || authorization is null || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var tenant = _options.TenantId!;
        var token = authorization[BearerPrefix.Length..].Trim();
        TokenValidationResult result;
        try
        {
            var configuration = await _metadata.GetConfigurationAsync(cancellationToken);
            result = await _handler.ValidateTokenAsync(token, Parameters(tenant, configuration));
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                _metadata.RequestRefresh();
                result = await _handler.ValidateTokenAsync(token, Parameters(tenant, await _metadata.GetConfigurationAsync(cancellationToken)));
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRefused(_logger, exception);
            return null;
        }

        if (!result.IsValid)
        {
            LogRejected(_logger, result.Exception);
            return null;
        }

        var claims = result.ClaimsIdentity;
        var caller = claims.FindFirst(AuthenticationConstants.VersionClaim)?.Value == "1.0"
            ? claims.FindFirst(AuthenticationConstants.AppIdClaim)?.Value
            : claims.FindFirst(AuthenticationConstants.AuthorizedPartyClaim)?.Value;
        if (!string.Equals(claims.FindFirst(AuthenticationConstants.TenantIdClaim)?.Value, tenant, StringComparison.OrdinalIgnoreCase)
            || caller is null || !_options.AllowedCallers.Contains(caller, StringComparer.OrdinalIgnoreCase))
        {
            // An app id is neither secret nor personal, and it is what an operator needs to decide whether to list it.
            LogCallerRefused(_logger, caller ?? "(none)");
            return null;
        }

        return tenant;
    }

    private TokenValidationParameters Parameters(string tenant, OpenIdConnectConfiguration configuration) => new()
    {
        ValidIssuers = [AuthenticationConstants.EntraV1Issuer(tenant), AuthenticationConstants.EntraV2Issuer(tenant)],
        ValidAudience = _audience,
        IssuerSigningKeys = configuration.SigningKeys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ClockSkew = AuthenticationConstants.ClockSkew,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipelines gate call refused: the signing keys could not be read")]
    private static partial void LogRefused(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipelines gate call refused: the token is not valid")]
    private static partial void LogRejected(ILogger logger, Exception? exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipelines gate call from app {CallerAppId}, which is not in Pipelines:AllowedCallers (or of another tenant), refused")]
    private static partial void LogCallerRefused(ILogger logger, string callerAppId);
}
