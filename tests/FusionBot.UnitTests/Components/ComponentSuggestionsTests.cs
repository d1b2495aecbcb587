using FusionBot.Features.Components;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace FusionBot.UnitTests.Components;

public sealed class ComponentSuggestionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    internal static CatalogueComponent Component(string name, string description, string[] tags, int[] tiers, DateTimeOffset? retiredAt = null) => new()
    {
        Id = CatalogueComponent.IdOf(name),
        Name = name,
        Description = description,
        Tags = tags,
        Tiers = tiers,
        Link = new Uri("https://coe.example/components/" + Uri.EscapeDataString(name)),
        Owner = "CoE platform team",
        AddedBy = new Person("29:admin", "aad-admin", "Ada Admin"),
        AddedAt = T0,
        RetiredAt = retiredAt,
    };

    private static IntakeAnswers Request(string name, string purpose, params string[] dataSources) =>
        new() { SolutionName = name, Purpose = purpose, DataSources = dataSources };

    private static readonly CatalogueComponent Approval = Component("Approval flow", "Multi-stage approvals with reminders", ["approval", "expenses"], [1, 2]);
    private static readonly CatalogueComponent SharePointList = Component("SharePoint list template", "A governed list with retention", ["sharepoint"], [1, 2, 3]);
    private static readonly CatalogueComponent ExpenseReport = Component("Expense report app", "Expense capture for travel", [], [2]);
    private static readonly CatalogueComponent AuditLog = Component("Audit log", "Who changed what in approvals", ["audit"], [2, 3, 4]);

    [Fact]
    public void A_tag_match_outranks_a_name_match_which_outranks_a_description_match()
    {
        var ranked = ComponentSuggestions.Rank([AuditLog, ExpenseReport, Approval], Request("Travel expenses", "Approval of travel expenses"), tier: 2);

        // Approval: tags approval + expenses (3+3); Expense report: name "expense" (2) + description "expense", "travel" (1+1); Audit log: description "approvals" (1).
        Assert.Equal(["Approval flow", "Expense report app", "Audit log"], ranked.Select(c => c.Name));
    }

    [Fact]
    public void Only_components_suited_to_the_tier_and_not_retired_are_suggested()
    {
        var retired = Component("Old approvals", "Legacy approval flow", ["approval"], [2], retiredAt: T0);

        var ranked = ComponentSuggestions.Rank([Approval, AuditLog, retired], Request("Approval tracker", "Track approvals", "sharepoint"), tier: 4);

        Assert.Equal(["Audit log"], ranked.Select(c => c.Name));
    }

    [Fact]
    public void Data_sources_match_tags_and_at_most_three_come_back_with_ties_in_name_order()
    {
        var a = Component("Beta list", "x", ["sharepoint"], [2]);
        var b = Component("Alpha list", "x", ["sharepoint"], [2]);

        var ranked = ComponentSuggestions.Rank([a, SharePointList, b, Approval, Component("Gamma list", "x", ["sharepoint"], [2])],
            Request("Team tracker", "Track work", "sharepoint"), tier: 2);

        // The template also matches by name (3 + 2); the three tied lists (3 each) come in name order and Gamma is cut.
        Assert.Equal(["SharePoint list template", "Alpha list", "Beta list"], ranked.Select(c => c.Name));
    }

    [Fact]
    public void A_request_matching_nothing_gets_no_suggestion()
    {
        Assert.Empty(ComponentSuggestions.Rank([Approval, SharePointList, AuditLog], Request("Leave planner", "Plan holidays", "none"), tier: 2));
        Assert.Empty(ComponentSuggestions.Rank([Approval], new IntakeAnswers(), tier: 2));
    }

    [Theory]
    [InlineData("Approvals!", "approval")]
    [InlineData("The apps for our SharePoint", "sharepoint")]
    [InlineData("business process", "business process")]
    public void Words_are_lower_cased_singular_and_skip_stop_words(string text, string expected)
    {
        Assert.Equal(expected.Split(' ').Order(), ComponentSuggestions.Words(text).Order());
    }

    [Fact]
    public async Task A_catalogue_that_cannot_be_read_means_no_suggestions_rather_than_a_failed_turn()
    {
        var catalogue = new Mock<IComponentCatalogueStore>();
        catalogue.Setup(c => c.ListAsync("t", It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException("storage blip"));

        var suggested = await new ComponentSuggestions(catalogue.Object, NullLogger<ComponentSuggestions>.Instance)
            .SuggestAsync("t", Request("Expense approvals", "Approve expenses"), 2, CancellationToken.None);

        Assert.Empty(suggested);
    }

    [Fact]
    public async Task A_ranker_that_throws_falls_back_to_the_keyword_ranking()
    {
        var catalogue = new Mock<IComponentCatalogueStore>();
        catalogue.Setup(c => c.ListAsync("t", It.IsAny<CancellationToken>())).ReturnsAsync([Approval, AuditLog]);
        var ranker = new Mock<IComponentRanker>();
        ranker.Setup(r => r.RankAsync(It.IsAny<IntakeAnswers>(), It.IsAny<IReadOnlyList<CatalogueComponent>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new System.Text.Json.JsonException("unexpected answer"));
        var answers = Request("Expense approvals", "Approve expenses");

        var suggested = await new ComponentSuggestions(catalogue.Object, NullLogger<ComponentSuggestions>.Instance, ranker.Object)
            .SuggestAsync("t", answers, 2, CancellationToken.None);

        Assert.Equal(["Approval flow", "Audit log"], suggested.Select(c => c.Name));
    }

    [Fact]
    public async Task A_cancelled_turn_is_still_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var catalogue = new Mock<IComponentCatalogueStore>();
        catalogue.Setup(c => c.ListAsync("t", It.IsAny<CancellationToken>())).ThrowsAsync(new OperationCanceledException(cancelled.Token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ComponentSuggestions(catalogue.Object, NullLogger<ComponentSuggestions>.Instance)
            .SuggestAsync("t", Request("Expense approvals", "Approve expenses"), 2, cancelled.Token));
    }
}
