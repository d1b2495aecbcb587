namespace FusionBot.Requests;

public static class RequestActors
{
    /// <summary>The bot itself, credited with what it does on its own (routing, SLA breaches, failed sends).</summary>
    public static Person FusionBot { get; } = new("fusionbot", null, "FusionBot");
}
