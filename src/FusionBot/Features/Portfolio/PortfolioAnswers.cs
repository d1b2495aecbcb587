using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Classification;
using FusionBot.Protocol.Hosting;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Portfolio;

/// <summary>
/// The maker's answer to a periodic review card. Answers whose tier is above both the request's tier and the tier
/// its previous answers give re-classify it and send it back to review in that tier (it outgrew its tier): comparing
/// with both means a tier a reviewer raised or lowered is not undone by the same answers given again. Answers that
/// fit a lower tier re-classify it without a review (the stricter one it passed covers it), but only when its tier
/// came from its answers: a reviewer's tier stands. Otherwise the answers are recorded. Unless it went back to review,
/// the next round is scheduled straight after the answer is stored, so nothing failing later can lose it. A round is
/// answered once: the ETag-guarded write decides between two clicks.
/// </summary>
public sealed class PortfolioAnswers(
    IRequestStore requests,
    RequestWorkflow workflow,
    IntakeQuestions questions,
    TierClassifier classifier,
    ConnectorCatalogue catalogue,
    PortfolioReviewCard cards,
    ReviewRouting routing,
    IOptions<PortfolioOptions> options,
    TimeProvider time)
{
    public async Task HandleAsync(TurnContext turn, JsonObject value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(value);
        var id = Read(value, PortfolioReviewCard.RequestKey) ?? "";
        var request = await requests.GetAsync(turn.TenantId(), id, cancellationToken);
        var sender = turn.Sender();
        if (request is null || request.Maker.Id != sender.Id)
        {
            await turn.SendTextAsync($"I can't find {CardText.EscapeLine(id)} among your requests.", cancellationToken);
            return;
        }

        var round = int.TryParse(Read(value, PortfolioReviewCard.RoundKey), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;
        if (!PortfolioReviews.InUse(request.Status) || request.PortfolioCheck is not { AnsweredAt: null } open || open.Round != round)
        {
            await turn.SendTextAsync($"This review of {request.Id} is already answered or no longer open. Type **status {request.Id}** to see where it is.", cancellationToken);
            return;
        }

        var (answers, problem) = ReadAnswers(request.Answers, value);
        if (problem is not null)
        {
            await turn.SendCardAsync(cards.Build(request, round, problem), PortfolioReviewCard.Summary(request), cancellationToken);
            return;
        }

        var classification = classifier.Classify(answers!);
        var now = time.GetUtcNow();
        var answersTier = classifier.Classify(request.Answers).Tier;
        var outgrew = classification.Tier > request.Tier && classification.Tier > answersTier;
        var lowered = classification.Tier < request.Tier && request.Tier == answersTier;
        var reason = $"outgrew Tier {request.Tier}";
        var why = string.Join("; ", classification.Reasons.Where(x => x.StartsWith($"Tier {classification.Tier}:", StringComparison.Ordinal)));
        var answer = new RequestStep(outgrew ? RequestAction.OutgrowTier : lowered ? RequestAction.LowerTier : RequestAction.AnswerPeriodicReview, sender, RequestRole.Maker)
        {
            Change = r => r with
            {
                Answers = answers!,
                Tier = outgrew || lowered ? classification.Tier : r.Tier,
                Reasons = outgrew ? [$"Outgrew Tier {r.Tier} at its periodic review", .. classification.Reasons]
                    : lowered ? [$"Re-classified from Tier {r.Tier} at its periodic review", .. classification.Reasons]
                    : r.Reasons,
                ReviewCard = outgrew ? null : r.ReviewCard,
                PortfolioCheck = open with { AnsweredAt = now, OutgrewTier = outgrew ? r.Tier : open.OutgrewTier },
            },
            Comment = outgrew ? $"{reason} ({why})" : Describe(answers!),
            RetiredCardText = $"{request.Id} {reason} at its periodic review and moved to Tier {classification.Tier}.",
            // Through the outbox, with the answer: a turn that dies after it is recorded still tells the maker the outcome.
            MakerText = Outcome(request, classification.Tier, outgrew, lowered, why, reason, now),
        };
        List<RequestStep> steps = [answer];
        if (outgrew)
        {
            steps.Add(await routing.NextStepAsync(request with { Tier = classification.Tier }, null, null, cancellationToken));
        }

        GovernanceRequest stored;
        try
        {
            stored = (await workflow.ApplyAsync(request, steps, cancellationToken)).Request;
        }
        catch (ConcurrencyConflictException)
        {
            await turn.SendTextAsync($"{request.Id} changed while you were answering; type **status {request.Id}** to see it.", cancellationToken);
            return;
        }

        if (outgrew)
        {
            await routing.AfterAppliedAsync(stored, cancellationToken);
        }
    }

    private string Outcome(GovernanceRequest request, int tier, bool outgrew, bool lowered, string why, string reason, DateTimeOffset now)
    {
        if (outgrew)
        {
            return $"Thanks! With these answers {request.Id} is now **Tier {tier}** ({CardText.EscapeLine(why)}): it {reason}, so it goes back to review. I'll tell you the outcome.";
        }

        var next = (now + options.Value.ReviewInterval).UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        return lowered
            ? $"Thanks! With these answers {request.Id} now fits **Tier {tier}** (it was Tier {request.Tier}). The review it already passed covers it, so nothing else is needed. I'll check in again around {next}."
            : $"Thanks! {request.Id} stays in Tier {request.Tier}; I recorded your answers. I'll check in again around {next}.";
    }

    private (IntakeAnswers? Answers, string? Problem) ReadAnswers(IntakeAnswers current, JsonObject value)
    {
        var answers = current;
        foreach (var (key, questionKey) in new[]
        {
            (PortfolioReviewCard.UsersKey, IntakeQuestions.Users),
            (PortfolioReviewCard.AudienceKey, IntakeQuestions.AudienceKey),
            (PortfolioReviewCard.SourcesKey, IntakeQuestions.DataSources),
        })
        {
            var question = questions.Get(questionKey);
            var read = AnswerReader.Read(question, Read(value, key) ?? "");
            if (read.Error is not null)
            {
                return (null, $"{question.Title}: {read.Error}");
            }

            answers = question.Apply(answers, read.Value!);
        }

        var blocked = answers.DataSources!.Select(catalogue.Check).FirstOrDefault(check => !check.IsAllowed);
        return blocked is null ? (answers, null) : (null, blocked.Message);
    }

    private string Describe(IntakeAnswers answers) => string.Join("; ",
        new[] { IntakeQuestions.Users, IntakeQuestions.AudienceKey, IntakeQuestions.DataSources }
            .Select(questions.Get)
            .Select(q => $"{q.Title}: {q.Display(q.Current(answers))}"));

    private static string? Read(JsonObject data, string key) =>
        data[key] is JsonValue node && node.TryGetValue<string>(out var text) ? text : null;
}
