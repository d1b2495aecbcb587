using FusionBot.Features.Chat;
using FusionBot.Requests;

namespace FusionBot.UnitTests.Requests;

public sealed class SolutionLinkTextTests
{
    private const string Env = "Default-72f988bf-0000-4000-8000-00000000c0de";
    private const string Id = "0f8fad5b-d9cb-469f-a165-70867728950e";

    [Theory]
    [InlineData("https://apps.powerapps.com/play/e/" + Env + "/a/" + Id + "?tenantId=72f988bf-0000-4000-8000-00000000c0de", SolutionKind.App, Env)]
    [InlineData("https://apps.powerapps.com/play/" + Id + "?tenantId=72f988bf", SolutionKind.App, "")]
    [InlineData("https://make.powerapps.com/environments/" + Env + "/apps/" + Id + "/details", SolutionKind.App, Env)]
    [InlineData("https://make.powerapps.com/e/" + Env + "/canvas/?action=edit&app-id=%2Fproviders%2FMicrosoft.PowerApps%2Fapps%2F" + Id, SolutionKind.App, Env)]
    [InlineData("https://make.powerautomate.com/environments/" + Env + "/flows/" + Id + "/details", SolutionKind.Flow, Env)]
    [InlineData("https://make.powerautomate.com/environments/" + Env + "/solutions/fd140aaf-4df4-11dd-bd17-0019b9312238/flows/" + Id, SolutionKind.Flow, Env)]
    [InlineData("https://flow.microsoft.com/manage/environments/" + Env + "/flows/shared/" + Id + "/details", SolutionKind.Flow, Env)]
    [InlineData("https://copilotstudio.microsoft.com/environments/" + Env + "/bots/" + Id + "/overview", SolutionKind.Agent, Env)]
    [InlineData("https://make.powerapps.com/environments/" + Env + "/solutions/" + Id, SolutionKind.Solution, Env)]
    public void An_address_from_the_portals_names_the_kind_environment_and_id(string address, SolutionKind kind, string environment)
    {
        var link = SolutionLinkText.Parse(address, out var problem);

        Assert.Null(problem);
        Assert.Equal(new SolutionLink(kind, environment, Id, Id), link);
    }

    [Theory]
    [InlineData("flow " + Id, SolutionKind.Flow, Id, "")]
    [InlineData("AGENT " + Id + " in " + Env, SolutionKind.Agent, Id, Env)]
    [InlineData("solution ContosoExpenses env contoso-prod", SolutionKind.Solution, "ContosoExpenses", "contoso-prod")]
    public void A_kind_and_an_id_with_an_optional_environment(string text, SolutionKind kind, string id, string environment)
    {
        Assert.Equal(new SolutionLink(kind, environment, id, id), SolutionLinkText.Parse(text, out _));
    }

    [Theory]
    [InlineData(Id, "app, a flow or an agent")]
    [InlineData("app expenses", "GUID")]
    [InlineData("https://contoso.sharepoint.com/sites/finance", "could not find")]
    [InlineData("", "Paste")]
    public void What_does_not_name_a_solution_is_refused_with_what_to_say_instead(string text, string hint)
    {
        Assert.Null(SolutionLinkText.Parse(text, out var problem));
        Assert.Contains(hint, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("link FR-000123 flow " + Id, "FR-000123 flow " + Id)]
    [InlineData("link 42 https://make.powerautomate.com/environments/x/flows/" + Id, "FR-000042 https://make.powerautomate.com/environments/x/flows/" + Id)]
    [InlineData("link fr-7", "FR-000007")]
    public void The_link_command_carries_the_request_id_and_the_rest(string text, string argument)
    {
        Assert.Equal(new Command(CommandName.Link, argument), Command.Parse(text));
    }

    [Theory]
    [InlineData("Link checker")]
    [InlineData("link 5 teams together")]
    public void A_request_name_that_starts_with_link_stays_an_answer(string text)
    {
        Assert.Equal(CommandName.None, Command.Parse(text).Name);
    }
}
