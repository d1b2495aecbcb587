using System.Text.Json.Nodes;

namespace FusionBot.Protocol.Models;

/// <summary>The HTTP status and body an invoke activity is answered with.</summary>
public sealed record InvokeResponse(int Status, JsonNode? Body = null);

/// <summary>Body of an <c>adaptiveCard/action</c> invoke response: <c>{statusCode, type, value}</c>.</summary>
public sealed record AdaptiveCardInvokeResponse(int StatusCode, string Type, JsonNode? Value)
{
    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    public static AdaptiveCardInvokeResponse Card(JsonObject card) => new(200, CardType, card);
    public static AdaptiveCardInvokeResponse Message(string text) => new(200, MessageType, JsonValue.Create(text));

    public static AdaptiveCardInvokeResponse Error(int statusCode, string code, string message) =>
        new(statusCode, ErrorType, new JsonObject { ["code"] = code, ["message"] = message });

    /// <summary>Teams reads the invoke's own answer from an HTTP 200 whatever <see cref="StatusCode"/> says.</summary>
    public InvokeResponse ToInvokeResponse() => new(200, new JsonObject
    {
        ["statusCode"] = StatusCode,
        ["type"] = Type,
        ["value"] = Value?.DeepClone(),
    });
}

/// <summary>The <c>value</c> of an <c>adaptiveCard/action</c> invoke.</summary>
public sealed class AdaptiveCardInvokeValue
{
    public AdaptiveCardInvokeAction? Action { get; set; }
    public string? Trigger { get; set; }
}

public sealed class AdaptiveCardInvokeAction
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public string? Verb { get; set; }
    public JsonObject? Data { get; set; }
}
