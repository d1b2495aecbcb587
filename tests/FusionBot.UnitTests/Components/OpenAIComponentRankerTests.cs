using System.Text.Json.Nodes;
using FusionBot.AI;
using FusionBot.Features.Components;
using FusionBot.Features.Intake.Prefill;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit.OpenAI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace FusionBot.UnitTests.Components;

/// <summary>The real Azure OpenAI client against an OpenAI-compatible fake on loopback.</summary>
public sealed class OpenAIComponentRankerTests : IAsyncLifetime
{
    private static readonly IntakeAnswers Answers = new()
    {
        SolutionName = "Expense approvals", Purpose = "Approve team expenses with a manager", DataSources = ["sharepoint"],
    };

    private static readonly CatalogueComponent Approval = ComponentSuggestionsTests.Component("Approval flow", "Two-step manager approval", ["approval"], [2]);
    private static readonly CatalogueComponent Logger = ComponentSuggestionsTests.Component("Audit logger", "Writes an audit trail", ["audit"], [2]);
    private static readonly CatalogueComponent Tier4Only = ComponentSuggestionsTests.Component("SAP bridge", "Reads SAP", ["sap"], [4]);

    private FakeOpenAIServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    private OpenAIComponentRanker Ranker() => new(
        Options.Create(new OpenAIOptions
        {
            Endpoint = _model.Endpoint, Deployment = FakeOpenAIServer.Deployment, ApiKey = FakeOpenAIServer.ApiKey, Timeout = TimeSpan.FromSeconds(2),
        }),
        NullLogger<OpenAIComponentRanker>.Instance);

    [Fact]
    public async Task Keeps_the_models_order_among_the_candidates_and_drops_invented_components()
    {
        _model.Content = $$"""{"ids":["{{Logger.Id}}","made-up-component","{{Approval.Id}}","{{Logger.Id}}"]}""";

        var ranked = await Ranker().RankAsync(Answers, [Approval, Logger], CancellationToken.None);

        Assert.Equal([Logger.Id, Approval.Id], ranked);
        var request = Assert.Single(_model.Requests);
        var schemaIds = request["response_format"]!["json_schema"]!["schema"]!["properties"]!["ids"]!["items"]!["enum"]!.AsArray()
            .Select(n => n!.GetValue<string>());
        Assert.Equal([Approval.Id, Logger.Id], schemaIds);
        Assert.Contains("Approve team expenses", request["messages"]!.AsArray()[^1]!["content"]!.ToJsonString());
    }

    [Fact]
    public async Task An_empty_answer_means_none_fits_and_no_keyword_suggestions_are_added()
    {
        var catalogue = new Mock<IComponentCatalogueStore>();
        catalogue.Setup(c => c.ListAsync("t", It.IsAny<CancellationToken>())).ReturnsAsync([Approval, Logger]);
        _model.Content = """{"ids":[]}""";

        Assert.Equal([], await Ranker().RankAsync(Answers, [Approval, Logger], CancellationToken.None));
        Assert.NotEmpty(ComponentSuggestions.Rank([Approval, Logger], Answers, 2));
        Assert.Empty(await new ComponentSuggestions(catalogue.Object, NullLogger<ComponentSuggestions>.Instance, Ranker()).SuggestAsync("t", Answers, 2, CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"ids":["made-up-component"]}""")]
    [InlineData("not json")]
    public async Task An_answer_with_no_known_component_means_no_ranking(string content)
    {
        _model.Content = content;

        Assert.Null(await Ranker().RankAsync(Answers, [Approval, Logger], CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_model_means_no_ranking()
    {
        _model.Status = 500;

        Assert.Null(await Ranker().RankAsync(Answers, [Approval, Logger], CancellationToken.None));
    }

    [Fact]
    public async Task Suggestions_follow_the_ranking_and_fall_back_to_keywords_when_the_ranker_cannot_help()
    {
        var catalogue = new Mock<IComponentCatalogueStore>();
        catalogue.Setup(c => c.ListAsync("t", It.IsAny<CancellationToken>())).ReturnsAsync([Approval, Logger, Tier4Only]);
        _model.Content = $$"""{"ids":["{{Logger.Id}}"]}""";

        var ranked = await new ComponentSuggestions(catalogue.Object, NullLogger<ComponentSuggestions>.Instance, Ranker()).SuggestAsync("t", Answers, 2, CancellationToken.None);
        Assert.Equal([Logger.Id], ranked.Select(c => c.Id));
        var candidates = _model.Requests.Single()["response_format"]!.ToJsonString();
        Assert.DoesNotContain(Tier4Only.Id, candidates);

        _model.Status = 500;
        var fallback = await new ComponentSuggestions(catalogue.Object, NullLogger<ComponentSuggestions>.Instance, Ranker()).SuggestAsync("t", Answers, 2, CancellationToken.None);
        Assert.Equal(ComponentSuggestions.Rank([Approval, Logger, Tier4Only], Answers, 2).Select(c => c.Id), fallback.Select(c => c.Id));
        Assert.NotEmpty(fallback);
    }

    [Fact]
    public async Task The_makers_name_and_purpose_are_each_cut_to_4000_characters_before_they_are_sent()
    {
        var purpose = string.Concat(Enumerable.Range(0, 1000).Select(i => $"p{i:D4}-"));
        var name = new string('n', 5000);

        await Ranker().RankAsync(Answers with { SolutionName = name, Purpose = purpose }, [Approval, Logger], CancellationToken.None);

        var sent = Intake.OpenAIIntakePrefillerTests.UserContent(Assert.Single(_model.Requests));
        Assert.Contains($"Name: {name[..ModelInput.MaxUserTextLength]}\nPurpose: {purpose[..ModelInput.MaxUserTextLength]}\nData sources:", sent, StringComparison.Ordinal);
        Assert.DoesNotContain(purpose[..(ModelInput.MaxUserTextLength + 1)], sent, StringComparison.Ordinal);
    }
}
