using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Components;

/// <summary>Suggestions are best effort: a catalogue that cannot be read costs the maker the suggestions, never the request.</summary>
public sealed class SuggestionFailureTests : IAsyncLifetime
{
    private BotHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync(services: services =>
        services.AddSingleton<IComponentCatalogueStore>(provider => new UnreadableCatalogue(ActivatorUtilities.CreateInstance<ComponentCatalogueStore>(provider))));

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private static string Texts(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.Select(r => r.Text + " " + string.Join(" ", (r.Attachments ?? []).Select(a => a.Content?.ToJsonString()))));

    private async Task<string> AnswerAsync(params string[] texts)
    {
        IReadOnlyList<Activity> last = [];
        foreach (var text in texts)
        {
            last = await _bot.SayAsync(text);
        }

        return Texts(last);
    }

    [Fact]
    public async Task A_tier_2_request_is_still_summarised_stored_and_routed()
    {
        var summary = await AnswerAsync("new request", "Expense tracker", "Approve team expenses", "Power Apps", "My department", "30", "SharePoint", "Internal", "None", "skip");
        Assert.Contains("Tier 2", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Approved components you could reuse", summary, StringComparison.Ordinal);

        var submitted = await AnswerAsync("confirm");

        Assert.Contains("submitted", submitted, StringComparison.OrdinalIgnoreCase);
        var request = Assert.Single(await _bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(_bot.Activities.TenantId, TeamsUser.Maker.Id, 10));
        // No review channel is registered here, so routing parks it waiting for one: what matters is that it left Submitted.
        Assert.Equal(RequestStatus.PendingRouting, request.Status);
        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    [Fact]
    public async Task A_tier_1_request_still_gets_its_checklist()
    {
        var submitted = await AnswerAsync("new request", "Leave planner", "Plan team leave", "Power Apps", "My team", "5", "none", "Public", "None", "skip", "confirm");

        Assert.Contains("Self-certification", submitted, StringComparison.Ordinal);
        Assert.Single(await _bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(_bot.Activities.TenantId, TeamsUser.Maker.Id, 10));
    }

    /// <summary>The real store, except that listing the catalogue fails as a storage outage would.</summary>
    private sealed class UnreadableCatalogue(IComponentCatalogueStore inner) : IComponentCatalogueStore
    {
        public Task<IReadOnlyList<CatalogueComponent>> ListAsync(string tenantId, CancellationToken cancellationToken = default) =>
            throw new TimeoutException("The component catalogue did not answer.");

        public Task<bool> AddAsync(string tenantId, CatalogueComponent component, CancellationToken cancellationToken = default) => inner.AddAsync(tenantId, component, cancellationToken);
        public Task<bool> RetireAsync(string tenantId, string componentId, DateTimeOffset at, CancellationToken cancellationToken = default) => inner.RetireAsync(tenantId, componentId, at, cancellationToken);
        public Task<CatalogueComponent?> GetAsync(string tenantId, string componentId, CancellationToken cancellationToken = default) => inner.GetAsync(tenantId, componentId, cancellationToken);
        public Task<bool> RecordUseAsync(string tenantId, ComponentUse use, CancellationToken cancellationToken = default) => inner.RecordUseAsync(tenantId, use, cancellationToken);
        public Task<IReadOnlyList<ComponentUse>> ListUsesAsync(string tenantId, CancellationToken cancellationToken = default) => inner.ListUsesAsync(tenantId, cancellationToken);
        public Task RecordOpenAsync(string tenantId, ComponentOpen open, CancellationToken cancellationToken = default) => inner.RecordOpenAsync(tenantId, open, cancellationToken);
        public Task<IReadOnlyList<ComponentOpen>> ListOpensAsync(string tenantId, CancellationToken cancellationToken = default) => inner.ListOpensAsync(tenantId, cancellationToken);
        public Task<int> PurgeOpensAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default) => inner.PurgeOpensAsync(before, max, cancellationToken);
    }
}
