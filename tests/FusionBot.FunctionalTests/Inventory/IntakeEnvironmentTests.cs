using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using FusionBot.TestKit.Cards;

namespace FusionBot.FunctionalTests.Inventory;

/// <summary>
/// Intake against the fake tenant, over HTTP: it asks which environment the solution will live in (the default one
/// first) and judges each connector by the data policies in force there, in the chat and in the form alike. Dataverse
/// is business under the tenant baseline (default environment) and blocked by the production lockdown's default group.
/// </summary>
public abstract class IntakeEnvironmentTests : IAsyncLifetime
{
    private static readonly string[] OfferedEnvironments = ["1. Contoso (default)", "2. Ada's sandbox", "3. Contoso Production"];
    private PlatformTenant _t = null!;

    protected abstract AzuriteTableServer? TableStorage { get; }

    public async Task InitializeAsync()
    {
        _t = await PlatformTenant.StartAsync(TableStorage);
        await _t.SyncAsync();
    }

    public async Task DisposeAsync() => await _t.DisposeAsync();

    private async Task<string> AnswerAsync(params string[] answers)
    {
        var last = "";
        foreach (var answer in answers)
        {
            last = await _t.SayAsync(answer);
        }

        return last;
    }

    [Fact]
    public async Task Dataverse_is_refused_in_production_by_its_data_policy_and_approved_in_the_default_environment()
    {
        await _t.SayAsync("new request");
        var asked = await AnswerAsync("Leave planner", "Plan the team's leave", "Power Apps");
        Assert.Contains("Which Power Platform environment will it live in?", asked, StringComparison.Ordinal);
        // The default environment first, then by name.
        var offered = OfferedEnvironments.Select(o => asked.IndexOf(o, StringComparison.Ordinal)).ToList();
        Assert.True(offered[0] >= 0 && offered[0] < offered[1] && offered[1] < offered[2], asked);

        var refused = await AnswerAsync("Contoso Production", "My team", "8", "Dataverse, SharePoint");
        Assert.Contains("Dataverse is blocked by data policy 'Production lockdown' in Contoso Production.", refused, StringComparison.Ordinal);
        // Not offered there either: the production lockdown's default group blocks whatever it does not list.
        Assert.Contains("so not offered: Dataverse; Microsoft Teams;", refused, StringComparison.Ordinal);
        var summary = await AnswerAsync("SharePoint", "Internal", "None", "skip");
        Assert.Contains("Tier 2: uses approved connectors: SharePoint", summary, StringComparison.Ordinal);

        await AnswerAsync("edit environment");
        await AnswerAsync("Contoso (default)");
        await AnswerAsync("edit data sources");
        summary = await AnswerAsync("Dataverse, SharePoint");
        Assert.Contains("Tier 2: uses approved connectors: Dataverse, SharePoint", summary, StringComparison.Ordinal);

        // Moving it back to production asks for the data sources again at once.
        await AnswerAsync("edit environment");
        var again = await AnswerAsync("Contoso Production");
        Assert.Contains("Dataverse is blocked by data policy 'Production lockdown' in Contoso Production.", again, StringComparison.Ordinal);
        Assert.Contains("Which data sources will it use?", again, StringComparison.Ordinal);
        Assert.Contains("Or type back to choose another environment.", again, StringComparison.Ordinal);
        Assert.Contains("Which Power Platform environment will it live in?", await AnswerAsync("back"), StringComparison.Ordinal);
        summary = await AnswerAsync("Contoso (default)");
        Assert.Contains("Tier 2: uses approved connectors: Dataverse, SharePoint", summary, StringComparison.Ordinal);

        var submitted = await _t.SayAsync("confirm");
        var request = Assert.Single(await _t.Get<IRequestStore>().ListByMakerAsync(_t.TenantId, TeamsUser.Maker.Id, 5));
        Assert.Contains($"Submitted: {request.Id}", submitted, StringComparison.Ordinal);
        Assert.Equal(2, request.Tier);
        Assert.Equal((PlatformTenant.Default, "Contoso (default)"), (request.Answers.Environment, request.Answers.EnvironmentName));
        var status = await _t.SayAsync($"status {request.Id}");
        Assert.Contains("Environment", status, StringComparison.Ordinal);
        Assert.Contains("Contoso (default)", status, StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync([.. _t.Bot.CardsSent()]);
    }

    [Fact]
    public async Task A_non_business_connector_needs_review_with_the_policy_named_and_an_external_API_is_refused_where_custom_connectors_and_HTTP_are_blocked()
    {
        await _t.SayAsync("new request");
        var summary = await AnswerAsync("Stock report", "Weekly stock figures", "Power Apps", "Contoso (default)", "My team", "5", "SQL Server, An external API", "Internal", "None", "skip");
        Assert.Contains("Tier 3: uses connectors that need review: SQL Server (non-business in data policy 'Tenant baseline' in Contoso (default))", summary, StringComparison.Ordinal);

        await AnswerAsync("edit environment");
        var refused = await AnswerAsync("Contoso Production");
        Assert.Contains("An external API is out of reach in Contoso Production: its data policies block both custom connectors and HTTP.", refused, StringComparison.Ordinal);
        summary = await AnswerAsync("SQL Server");
        // Business in the lockdown but non-business in the baseline, which covers production too: the stricter wins.
        Assert.Contains("SQL Server (non-business in data policy 'Tenant baseline' in Contoso Production)", summary, StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync([.. _t.Bot.CardsSent()]);
    }

    [Fact]
    public async Task The_form_asks_for_the_environment_and_refuses_a_connector_blocked_in_the_one_picked()
    {
        var form = FormOf(await InvokeAsync("task/fetch", new JsonObject { ["intakeForm"] = "open", ["msteams"] = new JsonObject { ["type"] = "task/fetch" } }));
        var ids = form["body"]!.AsArray().Select(e => (string?)e!["id"]).Where(id => id is not null).ToList();
        Assert.Equal(["name", "purpose", "platform", "environment", "audience", "users", "dataSources", "sensitivity", "customCode", "hoursSaved"], ids);
        var environments = form["body"]!.AsArray().Single(e => (string?)e!["id"] == "environment")!["choices"]!.AsArray().Select(c => (string)c!["value"]!);
        Assert.Equal([PlatformTenant.Default, PlatformTenant.Developer, PlatformTenant.Production], environments);
        var answers = new Dictionary<string, string>
        {
            ["name"] = "Leave planner",
            ["purpose"] = "Plan the team's leave",
            ["platform"] = "PowerApps",
            ["environment"] = PlatformTenant.Production,
            ["audience"] = "MyTeam",
            ["users"] = "8",
            ["dataSources"] = "dataverse,sharepoint",
            ["sensitivity"] = "Internal",
            ["customCode"] = "None",
            ["hoursSaved"] = "",
        };

        var again = FormOf(await InvokeAsync("task/submit", Filled(form, answers)));
        Assert.Contains("Dataverse is blocked by data policy 'Production lockdown' in Contoso Production.", Json(again), StringComparison.Ordinal);

        answers["environment"] = PlatformTenant.Default;
        var closed = await InvokeAsync("task/submit", Filled(form, answers));
        Assert.Equal("message", (string)closed["task"]!["type"]!);
        var summary = Json(_t.Bot.CardsSent()[^1]);
        Assert.Contains("Tier 2: uses approved connectors: Dataverse, SharePoint", summary, StringComparison.Ordinal);
        Assert.Contains("Contoso (default)", summary, StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync([form, again, .. _t.Bot.CardsSent()]);
    }

    private static string Json(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private async Task<JsonObject> InvokeAsync(string name, JsonObject data)
    {
        var activity = _t.Bot.Activities.AdaptiveCardAction("placeholder");
        activity.Name = name;
        activity.Value = new JsonObject { ["data"] = data, ["context"] = new JsonObject { ["theme"] = "default" } };
        var response = await _t.Bot.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.IsType<JsonObject>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static JsonObject FormOf(JsonObject response)
    {
        Assert.Equal("continue", (string)response["task"]!["type"]!);
        return response["task"]!["value"]!["card"]!["content"]!.AsObject();
    }

    private static JsonObject Filled(JsonObject form, IReadOnlyDictionary<string, string> answers)
    {
        var data = (JsonObject)Assert.Single(form["actions"]!.AsArray())!["data"]!.DeepClone();
        foreach (var (key, value) in answers)
        {
            data[key] = value;
        }

        return data;
    }
}

public sealed class IntakeEnvironmentOnSqliteTests : IntakeEnvironmentTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class IntakeEnvironmentOnTableStorageTests(AzuriteFixture azurite) : IntakeEnvironmentTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
