using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.Integrations;
using FusionBot.Requests;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Backlog;

/// <summary>
/// A shared backlog: finds or creates a request's one work item, and moves it as the request moves. Azure DevOps is
/// the one there is; a Planner or GitHub Issues backlog would be another implementation behind the same three calls.
/// </summary>
public interface IBacklog
{
    /// <summary>What <see cref="BacklogItem.Provider"/> says for items of this backlog.</summary>
    string Provider { get; }

    /// <summary>The request's item: found when an earlier attempt created it (so a retry makes no second one), else created.</summary>
    Task<BacklogItem> EnsureItemAsync(GovernanceRequest request, CancellationToken cancellationToken);

    /// <summary>Moves the item to the state <paramref name="status"/> maps to; false when that status maps to none.</summary>
    Task<bool> FollowAsync(BacklogItem item, RequestStatus status, CancellationToken cancellationToken);
}

/// <summary>
/// Azure DevOps Boards through its REST API (7.1) as the bot's identity (a member of the organisation): WIQL finds the
/// item by its tag <c>FusionBot-FR-…</c>; <c>POST …/_apis/wit/workitems/${type}</c> creates it with a JSON Patch
/// (title, description with the link back, answers, tier and reasons, area path, tags); <c>PATCH …/workitems/{id}</c>
/// sets <c>System.State</c>.
/// </summary>
public sealed class AzureDevOpsBacklog(IHttpClientFactory httpClientFactory, AppTokens tokens, IntakeQuestions questions, IOptions<BacklogOptions> options)
    : IBacklog
{
    public const string ProviderName = "AzureDevOps";
    public const string HttpClientName = "FusionBot.Backlog.AzureDevOps";

    /// <summary>Azure DevOps' resource id: its app-only tokens are asked for this scope.</summary>
    private const string Scope = "499b84ac-1321-427f-aa17-267ca6975798/.default";
    private const string ApiVersion = "api-version=7.1";

    public string Provider => ProviderName;

    public static string Tag(string requestId) => "FusionBot-" + requestId;

    public async Task<BacklogItem> EnsureItemAsync(GovernanceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tag = Tag(request.Id);
        var query = new JsonObject
        {
            ["query"] = $"SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.Tags] CONTAINS '{tag}' ORDER BY [System.Id]",
        };
        using (var found = await SendAsync(HttpMethod.Post, $"wiql?{ApiVersion}", JsonContent.Create(query), cancellationToken))
        {
            var body = await found.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            if (body?["workItems"] is JsonArray { Count: > 0 } items && items[0]?["id"] is JsonValue id)
            {
                return Item(id.GetValue<int>().ToString(CultureInfo.InvariantCulture), null);
            }
        }

        var o = options.Value;
        var patch = new JsonArray
        {
            Add("/fields/System.Title", CardTitle(request)),
            Add("/fields/System.Description", Description(request)),
            Add("/fields/System.Tags", $"FusionBot; {tag}; Tier {request.Tier}"),
        };
        if (!string.IsNullOrWhiteSpace(o.AreaPath))
        {
            patch.Add(Add("/fields/System.AreaPath", o.AreaPath));
        }

        var content = new StringContent(patch.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json-patch+json");
        using var created = await SendAsync(HttpMethod.Post, $"workitems/${Uri.EscapeDataString(o.WorkItemType)}?{ApiVersion}", content, cancellationToken);
        var item = await created.Content.ReadFromJsonAsync<JsonObject>(cancellationToken)
            ?? throw new HttpRequestException("Azure DevOps answered a work item creation with no body.");
        return Item(item["id"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture), item["_links"]?["html"]?["href"]?.GetValue<string>());
    }

    public async Task<bool> FollowAsync(BacklogItem item, RequestStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!options.Value.EffectiveStates.TryGetValue(status.ToString(), out var state))
        {
            return false;
        }

        var content = new StringContent(new JsonArray { Add("/fields/System.State", state) }.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json-patch+json");
        using var _ = await SendAsync(HttpMethod.Patch, $"workitems/{Uri.EscapeDataString(item.Id)}?{ApiVersion}", content, cancellationToken);
        return true;
    }

    private BacklogItem Item(string id, string? htmlUrl)
    {
        var o = options.Value;
        return new BacklogItem(ProviderName, id, htmlUrl
            ?? new Uri(o.BaseUrl, $"{Uri.EscapeDataString(o.Organization!)}/{Uri.EscapeDataString(o.Project!)}/_workitems/edit/{id}").ToString());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent content, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var token = await tokens.GetAsync(Scope, o.TokenEndpoint, cancellationToken);
        using var request = new HttpRequestMessage(method,
            new Uri(o.BaseUrl, $"{Uri.EscapeDataString(o.Organization!)}/{Uri.EscapeDataString(o.Project!)}/_apis/wit/{path}"))
        {
            Content = content,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var client = httpClientFactory.CreateClient(HttpClientName);
        var response = await client.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            // Azure DevOps explains itself as {"message","typeKey"}; the type key names the problem without any content.
            var typeKey = await ReadTypeKeyAsync(response, cancellationToken);
            throw new HttpRequestException($"Azure DevOps answered {(int)response.StatusCode}{(typeKey is null ? "" : $" ({typeKey})")}.", null, response.StatusCode);
        }
    }

    private static async Task<string?> ReadTypeKeyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["typeKey"]?.GetValue<string>();
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string CardTitle(GovernanceRequest request) => $"{request.Id}: {request.Title}";

    /// <summary>The item's description (HTML): the link back, the tier and why, the maker's answers. Every value is encoded.</summary>
    private string Description(GovernanceRequest request)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p>FusionBot request <b>{E(request.Id)}</b>, Tier {request.Tier}, made by {E(request.Maker.Name ?? request.Maker.Id)}. ");
        html.Append(CultureInfo.InvariantCulture, $"Type <code>status {E(request.Id)}</code> to FusionBot in Teams for its history.");
        if (TeamsLink(request.ReviewCard) is { } link)
        {
            html.Append(CultureInfo.InvariantCulture, $" <a href=\"{E(link)}\">Open its review thread in Teams</a>.");
        }

        html.Append("</p><p><b>Why this tier</b></p><ul>");
        foreach (var reason in request.Reasons)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{E(reason)}</li>");
        }

        html.Append("</ul><p><b>Answers</b></p><ul>");
        foreach (var question in questions.All)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<li>{E(question.Title)}: {E(question.Display(question.Current(request.Answers)))}</li>");
        }

        return html.Append("</ul>").ToString();
    }

    /// <summary>A Teams deep link to the review card; the channel is the thread's conversation id without its message id.</summary>
    private static string? TeamsLink(ChannelMessage? card) =>
        card is null ? null
            : $"https://teams.microsoft.com/l/message/{Uri.EscapeDataString(card.ConversationId.Split(';')[0])}/{Uri.EscapeDataString(card.ActivityId)}";

    private static JsonObject Add(string path, string value) => new() { ["op"] = "add", ["path"] = path, ["value"] = value };
}
