using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace FusionBot.Links;

/// <summary>
/// Links to the bot's own endpoints whose query is signed with HMAC-SHA256 under <see cref="LinkOptions.SigningKey"/>.
/// The signature covers the path and every named parameter, so a link for one endpoint is worthless at another and
/// no parameter can be changed or dropped. Values holding a newline are refused, so no two links sign the same text.
/// </summary>
public sealed class SignedLinks(IOptions<LinkOptions> options, IHttpContextAccessor http)
{
    private const string SignatureKey = "sig";

    /// <summary>True when a key is configured; the address may still be unknown outside a request.</summary>
    public bool IsConfigured => options.Value.SigningKeyBytes() is not null;

    /// <summary>
    /// The link to <paramref name="path"/> with <paramref name="parameters"/>, or null when there is no key or no known
    /// address (<see cref="LinkOptions.PublicBaseUrl"/> unset and the current request neither https nor loopback).
    /// </summary>
    public Uri? Create(string path, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var key = options.Value.SigningKeyBytes();
        var baseUrl = options.Value.PublicBaseUrl ?? RequestBaseUrl();
        if (key is null || baseUrl is null)
        {
            return null;
        }

        if (parameters.Any(p => p.Key.Contains('\n', StringComparison.Ordinal) || p.Value.Contains('\n', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Link parameters cannot contain a newline.", nameof(parameters));
        }

        var query = QueryHelpers.AddQueryString(path,
            [.. parameters.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)), new(SignatureKey, Sign(key, path, parameters))]);
        // Relative to the base's own path, so a public address such as https://host/fusionbot/ keeps its folder.
        var folder = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        return new Uri(folder, query.TrimStart('/'));
    }

    /// <summary>
    /// The <paramref name="names"/>d parameters of <paramref name="query"/>, in order, when it is a genuine link to
    /// <paramref name="path"/>; null when the signature is missing or wrong, a parameter is missing, or there is no key.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Read(string path, IQueryCollection query, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(query);
        var key = options.Value.SigningKeyBytes();
        string? signature = query[SignatureKey];
        if (key is null || signature is null)
        {
            return null;
        }

        List<KeyValuePair<string, string>> parameters = [];
        foreach (var name in names)
        {
            string? value = query[name];
            if (value is null || value.Contains('\n', StringComparison.Ordinal))
            {
                return null;
            }

            parameters.Add(new(name, value));
        }

        var expected = Encoding.ASCII.GetBytes(Sign(key, path, parameters));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)) ? parameters : null;
    }

    private static string Sign(byte[] key, string path, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var message = Encoding.UTF8.GetBytes(string.Join('\n', [path, .. parameters.Select(p => $"{p.Key}={p.Value}")]));
        return WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, message));
    }

    /// <summary>
    /// The address the current request came to, when it is https (or loopback, for local development): a link is a
    /// credential, and a plain-http address seen behind a TLS-terminating proxy would send it in the clear.
    /// </summary>
    private Uri? RequestBaseUrl()
    {
        if (http.HttpContext?.Request is not { Host.HasValue: true } request)
        {
            return null;
        }

        var address = new Uri($"{request.Scheme}://{request.Host}/");
        return request.IsHttps || address.IsLoopback ? address : null;
    }
}
