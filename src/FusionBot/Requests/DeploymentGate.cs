namespace FusionBot.Requests;

/// <summary>What the gate answers a deployment: let it proceed, reject it, or ask a reviewer first.</summary>
public enum GateVerdict
{
    Proceed,
    Reject,
    AskReviewer,
}

/// <param name="Reason">Why, as the pipeline's run history and the request's history show it.</param>
/// <param name="MakerAdvice">For a rejection: what the maker should do next.</param>
public sealed record GateDecision(GateVerdict Verdict, string Reason, string? MakerAdvice = null);

/// <summary>
/// Whether a request's solution may be deployed, read from where the lifecycle has it: Tier 1 once self-certified;
/// Tier 2 once approved, and to production only when a reviewer promotes it ("pro-dev promotes"); Tier 3 once approved
/// after its design review (deployed jointly); Tier 4 while in development to non-production environments and anywhere
/// once delivered ("pro-dev builds and owns"). Anything not reviewed, rejected, with changes requested or withdrawn is
/// rejected with the reason.
/// </summary>
public static class DeploymentGate
{
    public static GateDecision Decide(GovernanceRequest request, bool toProduction)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Id;
        var tier = request.Tier;
        return (request.Status, tier) switch
        {
            (RequestStatus.SelfCertified, 1) => new(GateVerdict.Proceed, $"{id} is a self-certified Tier 1 solution."),
            (RequestStatus.Approved, 2) when toProduction => new(GateVerdict.AskReviewer, $"{id} is approved (Tier 2); a pro developer promotes it to production."),
            (RequestStatus.Approved, 2 or 3) => new(GateVerdict.Proceed, $"{id} is approved (Tier {tier})."),
            (RequestStatus.Delivered, 4) => new(GateVerdict.Proceed, $"{id} is delivered (Tier 4)."),
            (RequestStatus.InDevelopment, 4) when !toProduction => new(GateVerdict.Proceed, $"{id} is in development by a pro developer (Tier 4)."),
            (RequestStatus.InDevelopment, 4) => Reject($"{id} is still in development (Tier 4): it goes to production once delivered.",
                "The pro developer who owns it deploys to production once it is delivered."),
            (RequestStatus.ChangesRequested, _) => Reject($"{id} has changes requested{Said(request)}",
                $"Make the changes, then type **resubmit {id}**; deploy again once it is approved."),
            (RequestStatus.Rejected, _) => Reject($"{id} was rejected{Said(request)}", "Talk to the reviewer or the CoE before deploying it."),
            (RequestStatus.Withdrawn, _) => Reject($"{id} was withdrawn.", $"Start a **new request** for it, and deploy once it is approved."),
            (RequestStatus.Approved or RequestStatus.SelfCertified or RequestStatus.Delivered, _) =>
                Reject($"{id} is Tier {tier} now and not yet approved at that tier.", "Wait for its review at the new tier, then deploy again."),
            _ => Reject($"{id} is not reviewed yet ({RequestStatusText.Describe(request.Status)}).",
                "Deploy again once it is approved; `status " + id + "` shows where it is."),
        };
    }

    private static GateDecision Reject(string reason, string advice) => new(GateVerdict.Reject, reason, advice);

    private static string Said(GovernanceRequest request) =>
        request.LastComment is { Length: > 0 } comment ? $": {comment}" : ".";
}
