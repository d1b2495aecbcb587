using FusionBot.Features.Outbox;
using FusionBot.Storage;

namespace FusionBot.Requests;

/// <summary>
/// The safety net of one transition: whatever the request still has pending (the instance that wrote it died before
/// recording it all) is recorded now. Nothing pending: nothing to do. Payload: <see cref="ReviewRequestRef"/>.
/// </summary>
public sealed class RequestSettleHandler(IRequestStore requests, RequestWorkflow workflow) : IOutboxHandler
{
    public string Kind => RequestWorkKinds.Settle;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var target = WorkOutbox.Read<ReviewRequestRef>(item);
        await workflow.SettleAsync(await requests.GetAsync(target.TenantId, target.RequestId, cancellationToken), cancellationToken);
    }
}
