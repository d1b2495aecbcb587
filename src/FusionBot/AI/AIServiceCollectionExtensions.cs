using Microsoft.Extensions.Options;

namespace FusionBot.AI;

public static class AIServiceCollectionExtensions
{
    /// <summary>
    /// The <c>OpenAI</c> settings, validated at start. Each feature that uses the model registers its own service
    /// only when <see cref="OpenAIOptions.IsConfiguredIn"/>.
    /// </summary>
    public static IServiceCollection AddFusionBotAI(this IServiceCollection services)
    {
        services.AddOptions<OpenAIOptions>().BindConfiguration(OpenAIOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpenAIOptions>, OpenAIOptionsValidator>();
        return services;
    }
}
