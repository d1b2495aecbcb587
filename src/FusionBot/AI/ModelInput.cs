namespace FusionBot.AI;

/// <summary>
/// What user text may go to the model: at most <see cref="MaxUserTextLength"/> characters of any one text (a
/// maker's description or purpose). A longer text is cut, not refused: the start says what the solution is, and a
/// bounded prompt keeps cost, latency and the room for injected instructions small.
/// </summary>
public static class ModelInput
{
    public const int MaxUserTextLength = 4000;

    public static string Bound(string? text) =>
        text is null ? "" : text.Length <= MaxUserTextLength ? text : text[..MaxUserTextLength];
}
