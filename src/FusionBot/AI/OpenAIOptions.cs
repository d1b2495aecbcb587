namespace FusionBot.AI;

/// <summary>Azure OpenAI settings (section <c>OpenAI</c>). Without an endpoint and a deployment the bot runs without a model.</summary>
public sealed class OpenAIOptions
{
    public const string Section = "OpenAI";

    /// <summary>The longest a maker's turn waits for the model.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(5);

    public Uri? Endpoint { get; set; }
    public string? Deployment { get; set; }

    /// <summary>Optional: without a key the bot authenticates with its managed identity.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long intake waits for the model before it asks the plain questions (at most 5 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsConfigured => Endpoint is not null && !string.IsNullOrWhiteSpace(Deployment);

    /// <summary>
    /// Whether the model-backed services are registered at all: decided while services are registered, before
    /// options can be resolved, from the same two keys <see cref="IsConfigured"/> reads once bound.
    /// </summary>
    public static bool IsConfiguredIn(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{Section}:{nameof(Endpoint)}"])
            && !string.IsNullOrWhiteSpace(configuration[$"{Section}:{nameof(Deployment)}"]);
    }
}
