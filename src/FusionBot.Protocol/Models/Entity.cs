using System.Text.Json;
using System.Text.Json.Serialization;

namespace FusionBot.Protocol.Models;

/// <summary>An activity entity (mention, clientInfo, …). Only the fields the bot reads are named.</summary>
public sealed class Entity
{
    public string? Type { get; set; }
    public ChannelAccount? Mentioned { get; set; }
    public string? Text { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; set; }
}
