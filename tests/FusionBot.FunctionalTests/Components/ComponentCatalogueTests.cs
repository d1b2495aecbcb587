using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Components;

/// <summary>The component catalogue through the 1:1 chat: admins manage it, everyone lists it, intake suggests from it.</summary>
public sealed class ComponentCatalogueTests : IAsyncLifetime
{
    private static readonly TeamsUser Admin = new("29:admin-1", "Ada Admin", "e5555555-5555-5555-5555-555555555555");
    private const string Hostile = "**Bold** <b>x</b> [link](https://evil.example) {{DATE(2026-01-01T00:00:00Z)}}";

    private BotHost _bot = null!;

    private IComponentCatalogueStore Catalogue => _bot.Services.GetRequiredService<IComponentCatalogueStore>();

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Governance:AdminIds:0"] = Admin.AadObjectId,
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private static string Texts(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.Select(r => r.Text + " " + string.Join(" ", (r.Attachments ?? []).Select(a => a.Content?.ToJsonString()))));

    private static JsonObject Form(string name, string description, string tags, string tiers, string link, string owner) => new()
    {
        ["componentForm"] = "add",
        ["componentName"] = name,
        ["componentDescription"] = description,
        ["componentTags"] = tags,
        ["componentTiers"] = tiers,
        ["componentLink"] = link,
        ["componentOwner"] = owner,
    };

    [Fact]
    public async Task Makers_may_list_but_not_add_or_retire()
    {
        await Catalogue.AddAsync(_bot.Activities.TenantId, Seed("Approval flow", ["approval"], [2]));

        var list = Texts(await _bot.SayAsync("components"));
        var add = Texts(await _bot.SayAsync("component add"));
        var submitted = Texts(await _bot.SubmitAsync(Form("Sneaky", "x", "", "2", "https://x.example", "me")));
        var retire = Texts(await _bot.SayAsync("component retire Approval flow"));

        Assert.Contains("Approval flow", list, StringComparison.Ordinal);
        Assert.DoesNotContain("component add", list, StringComparison.Ordinal);
        Assert.All([add, submitted, retire], reply => Assert.Contains("Only CoE admins can change the component catalogue", reply, StringComparison.Ordinal));
        var stored = await Catalogue.ListAsync(_bot.Activities.TenantId);
        Assert.Equal("Approval flow", Assert.Single(stored).Name);
        Assert.Null(stored[0].RetiredAt);
    }

    [Fact]
    public async Task An_admin_adds_with_the_form_sees_problems_named_and_retires()
    {
        var form = Texts(await _bot.SayAsync("component add", Admin));
        Assert.Contains("Add an approved component", form, StringComparison.Ordinal);

        var refused = Texts(await _bot.SubmitAsync(Form("Approval flow", "", "approval", "5", "coe.example/approval", "CoE"), Admin));
        Assert.Contains("Description is required.", refused, StringComparison.Ordinal);
        Assert.Contains("Link must be a full web address starting with https://.", refused, StringComparison.Ordinal);
        Assert.Contains("Suitable tiers are numbers from 1 to 4", refused, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"coe.example/approval\"", refused, StringComparison.Ordinal);
        Assert.Empty(await Catalogue.ListAsync(_bot.Activities.TenantId));

        var added = Texts(await _bot.SubmitAsync(Form(Hostile, "Multi-stage " + Hostile, "approval, expenses", "1,2", "https://coe.example/approval", "CoE team"), Admin));
        Assert.Contains("Added", added, StringComparison.Ordinal);
        var stored = Assert.Single(await Catalogue.ListAsync(_bot.Activities.TenantId));
        Assert.Equal([1, 2], stored.Tiers);
        Assert.Equal(Admin.AadObjectId, stored.AddedBy.AadObjectId);

        var duplicate = Texts(await _bot.SubmitAsync(Form(Hostile, "Again", "", "2", "https://coe.example/x", "CoE"), Admin));
        Assert.Contains("already in the catalogue", duplicate, StringComparison.Ordinal);

        var list = await _bot.SayAsync("components", Admin);
        AdaptiveCardValidator.AssertUserTextInert((JsonObject)list.Single().Attachments![0].Content!, Hostile);

        Assert.Contains("Retired", Texts(await _bot.SayAsync("component retire " + Hostile, Admin)), StringComparison.Ordinal);
        Assert.Contains("no active component", Texts(await _bot.SayAsync("component retire " + Hostile, Admin)), StringComparison.Ordinal);
        Assert.Contains("The catalogue is empty", Texts(await _bot.SayAsync("components", Admin)), StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    [Fact]
    public async Task The_summary_suggests_matching_components_and_using_this_is_recorded_on_the_request()
    {
        var tenant = _bot.Activities.TenantId;
        await Catalogue.AddAsync(tenant, Seed("SharePoint list template", ["sharepoint"], [1, 2, 3]));
        await Catalogue.AddAsync(tenant, Seed("Expense approval flow", ["approval", "expense"], [2]));
        await Catalogue.AddAsync(tenant, Seed("Tier 4 integration kit", ["expense"], [4]));
        await Catalogue.AddAsync(tenant, Seed("Chatbot starter", ["copilot"], [2]));

        IReadOnlyList<Activity> summary = [];
        foreach (var text in new[] { "new request", "Expense tracker", "Approve team expenses", "Power Apps", "My department", "30", "SharePoint", "Internal", "None", "skip" })
        {
            summary = await _bot.SayAsync(text);
        }

        var shown = Texts(summary);
        Assert.Contains("Approved components you could reuse", shown, StringComparison.Ordinal);
        Assert.True(shown.IndexOf("Expense approval flow", StringComparison.Ordinal) < shown.IndexOf("SharePoint list template", StringComparison.Ordinal));
        Assert.DoesNotContain("Tier 4 integration kit", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Chatbot starter", shown, StringComparison.Ordinal);
        // Without Links:SigningKey, "Open" goes straight to the component: nothing to record.
        Assert.Contains("\"url\":\"https://coe.example/components/approval\"", shown, StringComparison.Ordinal);

        var submitted = Texts(await _bot.SayAsync("confirm"));
        Assert.Contains("Using this", submitted, StringComparison.Ordinal);
        var request = Assert.Single(await _bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(tenant, TeamsUser.Maker.Id, 10));

        var noted = Texts(await _bot.SubmitAsync(new JsonObject { ["componentUse"] = "expense approval flow", ["componentRequest"] = request.Id }));
        Assert.Contains($"Noted: {request.Id} uses", noted, StringComparison.Ordinal);
        var use = Assert.Single(await Catalogue.ListUsesAsync(tenant));
        Assert.Equal(("expense approval flow", request.Id, TeamsUser.Maker.Id), (use.ComponentId, use.RequestId, use.User.Id));
        var history = await _bot.Services.GetRequiredService<IRequestHistoryStore>().ListAsync(request.Id);
        Assert.Contains(history, e => e.Action == RequestActions.ComponentUsed && e.Comment == "Expense approval flow");

        // Someone else cannot claim a use on this maker's request.
        var other = new TeamsUser("29:other", "Omar Other", "c3333333-3333-3333-3333-333333333333");
        Assert.Contains("could not record", Texts(await _bot.SubmitAsync(new JsonObject { ["componentUse"] = "sharepoint list template", ["componentRequest"] = request.Id }, other)), StringComparison.Ordinal);
        Assert.Single(await Catalogue.ListUsesAsync(tenant));
        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    [Fact]
    public async Task A_large_catalogue_is_listed_fifteen_at_a_time_and_searched_by_words()
    {
        var tenant = _bot.Activities.TenantId;
        for (var i = 1; i <= 20; i++)
        {
            await Catalogue.AddAsync(tenant, Seed($"Starter {i:D2}", ["starter"], [2]));
        }

        await Catalogue.AddAsync(tenant, Seed("SharePoint list template", ["sharepoint", "lists"], [1, 2]));
        await Catalogue.AddAsync(tenant, Seed("SharePoint approval flow", ["sharepoint", "approval"], [2]));

        var all = Texts(await _bot.SayAsync("components"));
        Assert.Contains("SharePoint approval flow", all, StringComparison.Ordinal);
        Assert.Contains("Starter 13", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Starter 14", all, StringComparison.Ordinal);
        Assert.Contains("and 7 more: type **components** followed by a word to search.", all, StringComparison.Ordinal);

        var lists = Texts(await _bot.SayAsync("Components SharePoint lists"));
        Assert.Contains("SharePoint list template", lists, StringComparison.Ordinal);
        Assert.DoesNotContain("SharePoint approval flow", lists, StringComparison.Ordinal);
        Assert.DoesNotContain("Starter", lists, StringComparison.Ordinal);

        var approvals = Texts(await _bot.SayAsync("components approvals"));
        Assert.Contains("SharePoint approval flow", approvals, StringComparison.Ordinal);
        Assert.DoesNotContain("SharePoint list template", approvals, StringComparison.Ordinal);
        Assert.Contains("None matches", Texts(await _bot.SayAsync("components kubernetes")), StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    [Fact]
    public async Task Using_this_counts_once_per_request_and_a_retired_component_is_refused()
    {
        var tenant = _bot.Activities.TenantId;
        await Catalogue.AddAsync(tenant, Seed("Expense approval flow", ["approval", "expense"], [2]));
        await Catalogue.AddAsync(tenant, Seed("Old expense form", ["expense"], [2]));
        foreach (var text in new[] { "new request", "Expense tracker", "Approve team expenses", "Power Apps", "My department", "30", "SharePoint", "Internal", "None", "skip", "confirm" })
        {
            await _bot.SayAsync(text);
        }

        var request = Assert.Single(await _bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(tenant, TeamsUser.Maker.Id, 10));
        var use = new JsonObject { ["componentUse"] = "expense approval flow", ["componentRequest"] = request.Id };
        Assert.Contains("Noted:", Texts(await _bot.SubmitAsync(use)), StringComparison.Ordinal);
        var firstAt = Assert.Single(await Catalogue.ListUsesAsync(tenant)).At;

        Assert.Contains($"Already noted: {request.Id} uses", Texts(await _bot.SubmitAsync(use.DeepClone().AsObject())), StringComparison.Ordinal);
        Assert.Equal(firstAt, Assert.Single(await Catalogue.ListUsesAsync(tenant)).At);

        Assert.True(await Catalogue.RetireAsync(tenant, "old expense form", DateTimeOffset.UtcNow));
        var refused = Texts(await _bot.SubmitAsync(new JsonObject { ["componentUse"] = "old expense form", ["componentRequest"] = request.Id }));
        Assert.Contains("has been retired", refused, StringComparison.Ordinal);
        Assert.Single(await Catalogue.ListUsesAsync(tenant));

        var history = await _bot.Services.GetRequiredService<IRequestHistoryStore>().ListAsync(request.Id);
        Assert.Single(history, e => e.Action == RequestActions.ComponentUsed);
    }

    [Fact]
    public async Task The_digest_preview_lists_components_added_this_week_and_the_most_reused()
    {
        await _bot.SubmitAsync(Form("Invoice approval flow", "Approvals for supplier invoices", "invoice, approval", "2", "https://coe.example/invoices", "CoE"), Admin);
        await _bot.SubmitAsync(Form("Supplier list", "Governed supplier master list", "supplier", "2", "https://coe.example/suppliers", "CoE"), Admin);
        foreach (var text in new[] { "new request", "Invoice tracker", "Track supplier invoices", "Power Apps", "My department", "30", "SharePoint", "Internal", "None", "skip", "confirm" })
        {
            await _bot.SayAsync(text);
        }

        var request = Assert.Single(await _bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(_bot.Activities.TenantId, TeamsUser.Maker.Id, 10));
        await _bot.SubmitAsync(new JsonObject { ["componentUse"] = "invoice approval flow", ["componentRequest"] = request.Id });

        var preview = Texts(await _bot.SayAsync("digest preview", Admin));

        Assert.Contains("Reusable components", preview, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"Invoice approval flow, Supplier list\"", preview, StringComparison.Ordinal);
        Assert.Contains("Invoice approval flow (1)", preview, StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    private static CatalogueComponent Seed(string name, string[] tags, int[] tiers) => new()
    {
        Id = CatalogueComponent.IdOf(name),
        Name = name,
        Description = "Approved building block: " + name,
        Tags = tags,
        Tiers = tiers,
        Link = new Uri("https://coe.example/components/" + tags[0]),
        Owner = "CoE platform team",
        AddedBy = new Person("29:admin-1", Admin.AadObjectId, Admin.Name),
        AddedAt = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
    };
}
