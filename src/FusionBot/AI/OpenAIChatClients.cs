using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Identity;
using OpenAI.Chat;

namespace FusionBot.AI;

/// <summary>The chat client of the configured Azure OpenAI deployment: the API key when set, else the managed identity.</summary>
public static class OpenAIChatClients
{
    /// <param name="retries">0 where a caller waits on the answer under a short timeout, so a retry cannot outlast it.</param>
    public static ChatClient Create(OpenAIOptions options, int? retries = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new AzureOpenAIClientOptions();
        if (retries is { } count)
        {
            clientOptions.RetryPolicy = new ClientRetryPolicy(count);
        }

        var client = string.IsNullOrEmpty(options.ApiKey)
            ? new AzureOpenAIClient(options.Endpoint!, new DefaultAzureCredential(), clientOptions)
            : new AzureOpenAIClient(options.Endpoint!, new ApiKeyCredential(options.ApiKey), clientOptions);
        return client.GetChatClient(options.Deployment);
    }
}
