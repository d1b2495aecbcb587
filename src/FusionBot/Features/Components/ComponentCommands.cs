using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Components;

/// <summary>
/// The component catalogue in the 1:1 chat: <c>components</c> (optionally followed by search words) for everyone; <c>component add</c> and
/// <c>component retire &lt;name&gt;</c> for CoE admins; and the maker's "Using this" on a submitted request.
/// </summary>
public sealed class ComponentCommands(
    AccessPolicy access,
    IComponentCatalogueStore catalogue,
    IRequestStore requests,
    RequestWorkflow workflow,
    TimeProvider time)
{
    private const string AdminsOnly = "Only CoE admins can change the component catalogue. Type **components** to see what it holds.";

    /// <param name="search">Words every listed component must have in its name, tags or description; null lists them all.</param>
    public async Task ListAsync(TurnContext turn, string? search, CancellationToken cancellationToken)
    {
        var wanted = search is null ? null : ComponentSuggestions.Words(search);
        var active = (await catalogue.ListAsync(turn.TenantId(), cancellationToken))
            .Where(c => c.RetiredAt is null && (wanted is null || Matches(c, wanted)))
            .ToList();
        var isAdmin = await access.IsAdminAsync(turn.Sender(), turn.TenantId(), cancellationToken);
        var uptake = isAdmin ? await UptakeAsync(turn.TenantId(), cancellationToken) : null;
        await turn.SendCardAsync(ComponentCards.List(active, isAdmin, uptake, search), $"{active.Count} approved components", cancellationToken);
    }

    /// <summary>Every search word is among the component's words; a search of only short or stop words matches nothing.</summary>
    private static bool Matches(CatalogueComponent component, HashSet<string> wanted) =>
        wanted.Count > 0 && wanted.IsSubsetOf(ComponentSuggestions.Words(string.Join(' ', [component.Name, component.Description, .. component.Tags])));

    private async Task<IReadOnlyDictionary<string, ComponentUptake>> UptakeAsync(string tenantId, CancellationToken cancellationToken)
    {
        var opened = (await catalogue.ListOpensAsync(tenantId, cancellationToken)).CountBy(o => o.ComponentId).ToDictionary();
        var used = (await catalogue.ListUsesAsync(tenantId, cancellationToken)).CountBy(u => u.ComponentId).ToDictionary();
        return opened.Keys.Union(used.Keys).ToDictionary(id => id, id => new ComponentUptake(opened.GetValueOrDefault(id), used.GetValueOrDefault(id)));
    }

    public async Task ShowFormAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (await RefuseNonAdminAsync(turn, cancellationToken))
        {
            return;
        }

        await turn.SendCardAsync(ComponentCards.Form(null, []), "Add an approved component", cancellationToken);
    }

    public async Task OnFormAsync(TurnContext turn, JsonObject value, CancellationToken cancellationToken)
    {
        if (await RefuseNonAdminAsync(turn, cancellationToken))
        {
            return;
        }

        var entered = ComponentForm.Read(value);
        var result = ComponentForm.Validate(entered, turn.Sender(), time.GetUtcNow());
        if (result.Component is not { } component)
        {
            await turn.SendCardAsync(ComponentCards.Form(entered, result.Problems), "Please fix the component form", cancellationToken);
            return;
        }

        if (!await catalogue.AddAsync(turn.TenantId(), component, cancellationToken))
        {
            await turn.SendCardAsync(ComponentCards.Form(entered, [$"A component named \"{component.Name}\" is already in the catalogue; choose another name or retire it first."]),
                "Please fix the component form", cancellationToken);
            return;
        }

        await turn.SendTextAsync($"Added **{CardText.EscapeLine(component.Name)}** to the catalogue. I will suggest it for matching requests of Tier {string.Join(", ", component.Tiers)}.", cancellationToken);
    }

    public async Task RetireAsync(TurnContext turn, string name, CancellationToken cancellationToken)
    {
        if (await RefuseNonAdminAsync(turn, cancellationToken))
        {
            return;
        }

        var retired = await catalogue.RetireAsync(turn.TenantId(), CatalogueComponent.IdOf(name), time.GetUtcNow(), cancellationToken);
        await turn.SendTextAsync(retired
            ? $"Retired **{CardText.EscapeLine(name)}**: it is no longer listed or suggested."
            : $"There is no active component named **{CardText.EscapeLine(name)}**. Type **components** to see the names.", cancellationToken);
    }

    /// <summary>
    /// The maker pressed "Using this" on their submitted request: recorded once for the digest and in the request's
    /// history; pressing it again changes nothing. A retired component is refused: the CoE no longer backs it.
    /// </summary>
    public async Task OnUsingAsync(TurnContext turn, JsonObject value, CancellationToken cancellationToken)
    {
        var componentId = Read(value, ComponentCards.UseKey);
        var requestId = Read(value, ComponentCards.RequestKey);
        var maker = turn.Sender();
        var request = requestId is null ? null : await requests.GetAsync(turn.TenantId(), requestId, cancellationToken);
        var component = componentId is null ? null : await catalogue.GetAsync(turn.TenantId(), componentId, cancellationToken);
        if (request is null || request.Maker.Id != maker.Id || component is null)
        {
            await turn.SendTextAsync("I could not record that: the request or the component is not one I know for you.", cancellationToken);
            return;
        }

        var name = CardText.EscapeLine(component.Name);
        if (component.RetiredAt is not null)
        {
            await turn.SendTextAsync($"**{name}** has been retired from the catalogue, so I did not record it. Type **components** to see the approved ones.", cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        if (!await catalogue.RecordUseAsync(turn.TenantId(), new ComponentUse(component.Id, request.Id, maker, now), cancellationToken))
        {
            await turn.SendTextAsync($"Already noted: {request.Id} uses **{name}**.", cancellationToken);
            return;
        }

        await workflow.RecordAsync(turn.TenantId(), new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = now,
            Action = RequestActions.ComponentUsed,
            Actor = maker,
            StatusAfter = request.Status,
            TierAfter = request.Tier,
            Comment = component.Name,
        }, $"component-{component.Id}", cancellationToken);
        await turn.SendTextAsync($"Noted: {request.Id} uses **{name}**.", cancellationToken);
    }

    private async Task<bool> RefuseNonAdminAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (await access.IsAdminAsync(turn.Sender(), turn.TenantId(), cancellationToken))
        {
            return false;
        }

        await turn.SendTextAsync(access.RefuseNonAdmin(AdminsOnly, turn.TenantId()), cancellationToken);
        return true;
    }

    private static string? Read(JsonObject value, string key) =>
        value[key] is JsonValue node && node.TryGetValue<string>(out var text) ? text : null;
}
