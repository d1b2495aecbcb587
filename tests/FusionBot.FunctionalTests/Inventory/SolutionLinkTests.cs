using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Inventory;

/// <summary>
/// <c>link FR-… &lt;address&gt;</c> over HTTP: the link is stored both ways (request → solutions, solution → request),
/// recorded on the history, refused to anyone but the maker or a CoE admin, and a solution stands for one request.
/// </summary>
public abstract class SolutionLinkTests : IAsyncLifetime
{
    private const string AdminObjectId = "a0000000-0000-4000-8000-00000000000a";
    private const string Env = "Default-72f988bf-0000-4000-8000-00000000c0de";
    private const string FlowId = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static readonly TeamsUser Admin = new("29:admin-1", "Ada Admin", AdminObjectId);
    private static readonly TeamsUser OtherMaker = new("29:maker-2", "Max Maker", "a2222222-2222-2222-2222-222222222222");

    private BotHost _bot = null!;

    protected abstract AzuriteTableServer? TableStorage { get; }

    private SolutionLinks Links => _bot.Services.GetRequiredService<SolutionLinks>();
    private string TenantId => _bot.Activities.TenantId;

    public async Task InitializeAsync() =>
        _bot = await BotHost.StartAsync(TableStorage, new Dictionary<string, string?> { ["Governance:AdminIds:0"] = AdminObjectId });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private async Task<string> RequestOfAsync(TeamsUser maker, string tenantId)
    {
        var now = DateTimeOffset.UtcNow;
        var created = await _bot.Services.GetRequiredService<IRequestStore>().CreateAsync(new GovernanceRequest
        {
            Id = "",
            TenantId = tenantId,
            Title = "Expense approvals",
            Answers = new IntakeAnswers { SolutionName = "Expense approvals", Platform = Platform.PowerAutomate },
            Tier = 2,
            Reasons = ["department-wide"],
            Status = RequestStatus.Approved,
            Maker = new Person(maker.Id, maker.AadObjectId, maker.Name),
            CreatedAt = now,
            UpdatedAt = now,
        });
        return created.Id;
    }

    private async Task<string> SayAsync(string text, TeamsUser? user = null) =>
        string.Join("\n", (await _bot.SayAsync(text, user)).Select(a => a.Text));

    [Fact]
    public async Task The_maker_links_a_flow_by_its_address_and_the_flow_leads_back_to_the_request()
    {
        var id = await RequestOfAsync(TeamsUser.Maker, TenantId);

        var reply = await SayAsync($"link {id} https://make.powerautomate.com/environments/{Env}/flows/{FlowId}/details");

        Assert.Contains($"Linked: {id} is Flow {FlowId} in environment {Env}", reply, StringComparison.Ordinal);
        Assert.Equal([new SolutionLink(SolutionKind.Flow, Env, FlowId, FlowId)], await Links.ForRequestAsync(TenantId, id, default));
        Assert.Equal(id, await Links.FindRequestAsync(TenantId, SolutionKind.Flow, Env.ToUpperInvariant(), FlowId.ToUpperInvariant(), default));
        Assert.Null(await Links.FindRequestAsync(TenantId, SolutionKind.Flow, "contoso-prod", FlowId, default));
        Assert.Null(await Links.FindRequestAsync(TenantId, SolutionKind.App, Env, FlowId, default));

        // Said again (or the same activity redelivered): nothing new is stored or recorded.
        Assert.Contains("already linked", await SayAsync($"link {id} flow {FlowId} in {Env}"), StringComparison.Ordinal);
        var request = (await _bot.Services.GetRequiredService<IRequestStore>().GetAsync(TenantId, id))!;
        var linked = Assert.Single(await _bot.Services.GetRequiredService<RequestWorkflow>().HistoryAsync(request, default), e => e.Action == RequestActions.SolutionLinked);
        Assert.Equal(TeamsUser.Maker.Id, linked.Actor.Id);
        Assert.Contains(FlowId, linked.Comment, StringComparison.Ordinal);
        var status = string.Join(" ", (await _bot.SayAsync($"status {id}")).Select(a => a.Attachments?[0].Content?.ToString()));
        Assert.Contains("Linked to a solution", status, StringComparison.Ordinal);
        Assert.Contains($"Flow {FlowId} in environment {Env}", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_without_an_environment_is_found_from_any_environment()
    {
        var id = await RequestOfAsync(TeamsUser.Maker, TenantId);

        await SayAsync($"link {id} agent {FlowId}");

        Assert.Equal(id, await Links.FindRequestAsync(TenantId, SolutionKind.Agent, Env, FlowId, default));
        Assert.Equal(id, await Links.FindRequestAsync(TenantId, SolutionKind.Agent, "", FlowId, default));
    }

    [Fact]
    public async Task Only_the_maker_or_a_CoE_admin_may_link_and_a_solution_stands_for_one_request()
    {
        var id = await RequestOfAsync(TeamsUser.Maker, TenantId);
        var other = await RequestOfAsync(OtherMaker, TenantId);

        Assert.Contains("can't find", await SayAsync($"link {id} flow {FlowId}", OtherMaker), StringComparison.Ordinal);
        Assert.Empty(await Links.ForRequestAsync(TenantId, id, default));
        Assert.Null(await Links.FindRequestAsync(TenantId, SolutionKind.Flow, "", FlowId, default));

        Assert.Contains("Linked", await SayAsync($"link {id} flow {FlowId}", Admin), StringComparison.Ordinal);
        Assert.Contains($"already linked to {id}", await SayAsync($"link {other} flow {FlowId}", OtherMaker), StringComparison.Ordinal);
        Assert.Empty(await Links.ForRequestAsync(TenantId, other, default));
        Assert.Equal(id, await Links.FindRequestAsync(TenantId, SolutionKind.Flow, "", FlowId, default));
    }

    [Fact]
    public async Task Links_of_one_tenant_are_invisible_from_another()
    {
        var id = await RequestOfAsync(TeamsUser.Maker, TenantId);
        await SayAsync($"link {id} flow {FlowId}");

        Assert.Null(await Links.FindRequestAsync("b0b0b0b0-0000-4000-8000-0000000000b0", SolutionKind.Flow, "", FlowId, default));
        Assert.Empty(await Links.ForRequestAsync("b0b0b0b0-0000-4000-8000-0000000000b0", id, default));
        var outcome = await Links.LinkAsync("b0b0b0b0-0000-4000-8000-0000000000b0", id, new SolutionLink(SolutionKind.Flow, "", FlowId, FlowId),
            new Person(TeamsUser.Maker.Id, TeamsUser.Maker.AadObjectId, TeamsUser.Maker.Name), default);
        Assert.Equal(LinkResult.RequestNotFound, outcome.Result);
    }

    [Fact]
    public async Task An_id_without_a_kind_is_answered_with_how_to_say_it()
    {
        var id = await RequestOfAsync(TeamsUser.Maker, TenantId);

        Assert.Contains("app, a flow or an agent", await SayAsync($"link {id} {FlowId}"), StringComparison.Ordinal);
        Assert.Empty(await Links.ForRequestAsync(TenantId, id, default));
    }
}

public sealed class SolutionLinkOnSqliteTests : SolutionLinkTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class SolutionLinkOnTableStorageTests(AzuriteFixture azurite) : SolutionLinkTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
