using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.Protocol;

namespace FusionBot.Protocol.Tests.Models;

/// <summary>The published Teams payloads in Fixtures/teams-activities (see the README there for their sources).</summary>
internal static class TeamsFixtures
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "teams-activities");

    public static IEnumerable<string> All => Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).Order()!;

    /// <summary>Activities, inbound and outgoing, whole or fragment: everything but invoke responses and create-conversation bodies.</summary>
    public static TheoryData<string> Activities => [.. All.Where(name => !IsInvokeResponse(name) && !IsCreateConversation(name))];

    public static TheoryData<string> InvokeResponses => [.. All.Where(IsInvokeResponse)];

    public static TheoryData<string> CreateConversationRequests => [.. All.Where(name => IsCreateConversation(name) && name.Contains("request", StringComparison.Ordinal))];

    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder, name));

    public static T Deserialize<T>(string name) => JsonSerializer.Deserialize<T>(Read(name), ProtocolJson.Options)!;

    public static JsonObject ReadNode(string name) => JsonNode.Parse(Read(name))!.AsObject();

    private static bool IsInvokeResponse(string name) => name.Contains("-invokeresponse-", StringComparison.Ordinal);

    private static bool IsCreateConversation(string name) => name.Contains("create-conversation", StringComparison.Ordinal);
}
