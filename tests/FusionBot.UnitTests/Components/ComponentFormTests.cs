using FusionBot.Features.Components;
using FusionBot.Requests;

namespace FusionBot.UnitTests.Components;

public sealed class ComponentFormTests
{
    private static readonly Person Admin = new("29:admin", "aad-admin", "Ada Admin");
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static ComponentForm.Entered Valid => new("Approval flow", "Multi-stage approvals", "approval, Approval, expenses", "2,1", "https://coe.example/approval", "CoE team");

    [Fact]
    public void A_complete_form_becomes_a_component_with_sorted_tiers_and_distinct_tags()
    {
        var result = ComponentForm.Validate(Valid, Admin, Now);

        Assert.Empty(result.Problems);
        var component = Assert.IsType<FusionBot.Storage.CatalogueComponent>(result.Component);
        Assert.Equal("approval flow", component.Id);
        Assert.Equal([1, 2], component.Tiers);
        Assert.Equal(["approval", "expenses"], component.Tags);
        Assert.Equal(new Uri("https://coe.example/approval"), component.Link);
        Assert.Equal(Admin, component.AddedBy);
        Assert.Equal(Now, component.AddedAt);
    }

    [Fact]
    public void Every_missing_required_field_is_named()
    {
        var result = ComponentForm.Validate(new ComponentForm.Entered("", "", "", "", "", ""), Admin, Now);

        Assert.Null(result.Component);
        Assert.Equal(
            ["Name is required.", "Description is required.", "Owner is required.", "Link is required.", "Choose at least one suitable tier (1 to 4)."],
            result.Problems);
    }

    [Theory]
    [InlineData("coe.example/approval")]
    [InlineData("ftp://coe.example/approval")]
    [InlineData("javascript:alert(1)")]
    public void A_link_that_is_not_a_web_address_is_refused(string link)
    {
        var result = ComponentForm.Validate(Valid with { Link = link }, Admin, Now);

        Assert.Equal(["Link must be a full web address starting with https://."], result.Problems);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("0,2")]
    [InlineData("two")]
    public void Tiers_outside_one_to_four_are_refused(string tiers)
    {
        var result = ComponentForm.Validate(Valid with { Tiers = tiers }, Admin, Now);

        Assert.Equal(["Suitable tiers are numbers from 1 to 4, e.g. 1,2."], result.Problems);
    }
}
