using FusionBot.Features.Inventory;

namespace FusionBot.UnitTests.Inventory;

public sealed class NameResemblanceTests
{
    [Theory]
    [InlineData("Expense tracker", "Expenses", true)]
    [InlineData("Expense Tracker", "expense-tracker", true)]
    [InlineData("Invoice sync (v2)", "Invoice sync", true)]
    [InlineData("HR helper", "Expenses", false)]
    [InlineData("Team rota", "Holiday planner", false)]
    [InlineData("Sales app", "", false)]
    public void Names_resemble_when_half_their_words_are_shared_plural_and_punctuation_aside(string title, string name, bool expected) =>
        Assert.Equal(expected, NameResemblance.Resembles(title, name));
}
