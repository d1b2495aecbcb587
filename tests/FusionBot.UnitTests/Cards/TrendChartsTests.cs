using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Requests;
using FusionBot.TestKit.Cards;

namespace FusionBot.UnitTests.Cards;

public sealed class TrendChartsTests
{
    private static readonly DateTimeOffset Week = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static JsonObject Element(JsonObject columns, int column) =>
        columns["columns"]![column]!["items"]![0]!.AsObject();

    [Fact]
    public async Task Tiers_and_weeks_are_charts_whose_fallbacks_show_the_same_numbers()
    {
        var charts = TrendCharts.ByTierAndWeek("Requests by tier", new Dictionary<int, int> { [1] = 2, [2] = 1, [3] = 0, [4] = 0 },
            [new PeriodCount(Week, 1), new PeriodCount(Week.AddDays(7), 3)]);

        var donut = Element(charts, 0);
        Assert.Equal("Chart.Donut", (string?)donut["type"]);
        Assert.Equal("""[{"legend":"Tier 1","value":2},{"legend":"Tier 2","value":1}]""", donut["data"]!.ToJsonString());
        Assert.Equal("""[{"title":"Tier 1","value":"2"},{"title":"Tier 2","value":"1"}]""", donut["fallback"]!["facts"]!.ToJsonString());

        var bars = Element(charts, 1);
        Assert.Equal("Chart.VerticalBar", (string?)bars["type"]);
        Assert.Equal("""[{"x":"1 Jun","y":1},{"x":"8 Jun","y":3}]""", bars["data"]!.ToJsonString());
        Assert.Equal("""[{"title":"Week of 1 Jun","value":"1 decision"},{"title":"Week of 8 Jun","value":"3 decisions"}]""", bars["fallback"]!["facts"]!.ToJsonString());

        await AdaptiveCardValidator.AssertValidAsync(AdaptiveCardJson.Create([charts]));
    }

    [Fact]
    public async Task Nothing_to_chart_reads_as_a_line_of_text()
    {
        var charts = TrendCharts.ByTierAndWeek("New requests by tier", new Dictionary<int, int> { [1] = 0 }, [new PeriodCount(Week, 0)]);

        Assert.Equal("TextBlock", (string?)Element(charts, 0)["type"]);
        Assert.Equal("TextBlock", (string?)Element(charts, 1)["type"]);
        await AdaptiveCardValidator.AssertValidAsync(AdaptiveCardJson.Create([charts]));
    }
}
