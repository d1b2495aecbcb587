using FusionBot.Protocol.Models;

namespace FusionBot.Protocol.Hosting;

/// <summary>The application's turn handler. Registered by the app; called once per accepted inbound activity.</summary>
public interface IBot
{
    /// <returns>For invokes, the HTTP answer Teams shows; ignored for other activities.</returns>
    Task<InvokeResponse?> OnTurnAsync(TurnContext turn, CancellationToken cancellationToken);
}
