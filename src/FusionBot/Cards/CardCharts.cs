using System.Text.Json.Nodes;

namespace FusionBot.Cards;

/// <summary>
/// Teams' chart elements (msteams-docs, "Charts in Adaptive Cards"). Clients without charts render the fallback, so
/// every chart carries one that shows the same numbers.
/// </summary>
public static class CardCharts
{
    /// <summary>Parts of a whole: <c>Chart.Donut</c>, data as <c>{legend, value}</c>.</summary>
    public static JsonObject Donut(string title, IEnumerable<(string Legend, double Value)> data, JsonObject fallback) => new()
    {
        ["type"] = "Chart.Donut",
        ["title"] = title,
        ["colorSet"] = "categorical",
        ["data"] = new JsonArray([.. data.Select(d => new JsonObject { ["legend"] = d.Legend, ["value"] = d.Value })]),
        ["fallback"] = fallback,
    };

    /// <summary>One value per category: <c>Chart.VerticalBar</c>, data as <c>{x, y}</c>.</summary>
    public static JsonObject VerticalBar(string title, string xAxisTitle, string yAxisTitle, IEnumerable<(string X, double Y)> data, JsonObject fallback) => new()
    {
        ["type"] = "Chart.VerticalBar",
        ["title"] = title,
        ["xAxisTitle"] = xAxisTitle,
        ["yAxisTitle"] = yAxisTitle,
        ["showBarValues"] = true,
        ["data"] = new JsonArray([.. data.Select(d => new JsonObject { ["x"] = d.X, ["y"] = d.Y })]),
        ["fallback"] = fallback,
    };
}
