using System.Globalization;
using FusionBot.Bot;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Protocol.Hosting;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Digest;

/// <summary>
/// The digest in the 1:1 chat. CoE admins: <c>digest preview | note &lt;text&gt; | send | status | schedule</c>.
/// Everyone: <c>subscribe digest</c>, <c>unsubscribe digest</c>.
/// </summary>
public sealed class DigestCommands(
    AccessPolicy access,
    DigestComposer composer,
    DigestBroadcast broadcast,
    DigestArchive archive,
    DigestSchedule schedule,
    IDigestSubscriptionStore subscriptions,
    IOptions<DigestOptions> options,
    TimeProvider time)
{
    public const int MaxNoteLength = 1000;

    public async Task SubscribeAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var reference = turn.Activity.GetConversationReference() with { ActivityId = null };
        await subscriptions.SubscribeAsync(turn.TenantId(), new DigestSubscriber(turn.Sender().Id, reference), cancellationToken);
        await archive.RememberTenantAsync(turn.TenantId(), cancellationToken);
        await turn.SendTextAsync("Subscribed: the community-of-practice digest will arrive here every week. Type **unsubscribe digest** to stop it.", cancellationToken);
    }

    public async Task UnsubscribeAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var removed = await subscriptions.UnsubscribeAsync(turn.TenantId(), turn.Sender().Id, cancellationToken);
        await turn.SendTextAsync(removed
            ? "Unsubscribed: no more weekly digest here. Type **subscribe digest** to get it again."
            : "You were not subscribed to the digest. Type **subscribe digest** to get it every week.", cancellationToken);
    }

    /// <param name="argument">What followed "digest": preview, note …, send, status or schedule.</param>
    public async Task HandleAsync(TurnContext turn, string? argument, CancellationToken cancellationToken)
    {
        if (!await access.IsAdminAsync(turn.Sender(), turn.TenantId(), cancellationToken))
        {
            await turn.SendTextAsync(access.RefuseNonAdmin("Only CoE admins can preview, annotate or send the digest. Type **subscribe digest** to receive it every week.", turn.TenantId()), cancellationToken);
            return;
        }

        var tenantId = turn.TenantId();
        await archive.RememberTenantAsync(tenantId, cancellationToken);
        var (verb, text) = Split(argument);
        switch (verb)
        {
            case "preview":
                var digest = await composer.PrepareAsync(tenantId, time.GetUtcNow(), cancellationToken);
                await turn.SendCardAsync(DigestCard.Build(digest, preview: true), "Preview: " + DigestCard.Summary(digest), cancellationToken);
                break;
            case "note":
                await NoteAsync(turn, tenantId, text, cancellationToken);
                break;
            case "send":
                var result = await broadcast.SendAsync(tenantId, turn.Sender(), cancellationToken);
                await turn.SendTextAsync(result.Started
                    ? $"Sending the digest of {result.Digest.Figures.To:yyyy-MM-dd} to the community channels and subscribers. Type **digest status** to follow it."
                    : $"The digest of {result.Digest.Figures.To:yyyy-MM-dd} was already sent on {LocalTime.Format(result.Digest.SentAt!.Value, turn.ClientTimeZone())} by {CardText.EscapeLine(result.Digest.SentBy?.Name ?? "the schedule")}. Type **digest status** to follow it, or **digest preview** to prepare a new one.",
                    cancellationToken);
                break;
            case "status":
                await turn.SendTextAsync(await StatusTextAsync(tenantId, turn.ClientTimeZone(), cancellationToken), cancellationToken);
                break;
            case "schedule":
                await turn.SendTextAsync(ScheduleText(), cancellationToken);
                break;
            default:
                await turn.SendTextAsync("Digest commands: **digest preview**, **digest note** your text, **digest send**, **digest status**, **digest schedule**.", cancellationToken);
                break;
        }
    }

    private async Task NoteAsync(TurnContext turn, string tenantId, string note, CancellationToken cancellationToken)
    {
        if (note.Length == 0)
        {
            await turn.SendTextAsync("Type the note after the command, e.g. **digest note** Welcome to our new makers in Finance!", cancellationToken);
            return;
        }

        note = CardText.Truncate(note, MaxNoteLength);
        var desk = await archive.UpdateDeskAsync(tenantId, d => d with { Note = note }, cancellationToken);
        if (desk.CurrentId is { } id && await archive.GetAsync(id, cancellationToken) is { Value.SentAt: null } current)
        {
            await archive.SaveAsync(current.Value with { Note = note }, current.ETag, cancellationToken);
        }

        await turn.SendTextAsync("Noted: the next digest carries your note. Type **digest preview** to see it.", cancellationToken);
    }

    private async Task<string> StatusTextAsync(string tenantId, TimeZoneInfo? zone, CancellationToken cancellationToken)
    {
        var status = await broadcast.StatusAsync(tenantId, cancellationToken);
        if (status is null)
        {
            return "No digest yet. Type **digest preview** to prepare one.";
        }

        var digest = status.Digest;
        if (digest.SentAt is null)
        {
            return $"The digest of {digest.Figures.To:yyyy-MM-dd} is prepared but not sent. Type **digest send** to send it.";
        }

        var text = string.Create(CultureInfo.InvariantCulture,
            $"Digest of {digest.Figures.To:yyyy-MM-dd}, sent {LocalTime.Format(digest.SentAt.Value, zone)}: {status.Delivered} delivered, {status.Failed} failed, {status.Pending} pending.");
        if (digest.Recipients.Count == 0)
        {
            text += " The recipients are being listed.";
        }

        return status.FailureReasons.Count == 0 ? text : text + " Failures: " + CardText.EscapeLine(string.Join("; ", status.FailureReasons));
    }

    private string ScheduleText()
    {
        var next = schedule.NextAfter(time.GetUtcNow());
        var local = next is { } at ? TimeZoneInfo.ConvertTime(at, schedule.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "never";
        return $"Digest schedule: `{schedule.Expression}` in {schedule.Zone.Id}; next run {local} ({schedule.Zone.Id}). " +
            $"Covers the last {options.Value.Window.TotalDays.ToString(CultureInfo.InvariantCulture)} days. " +
            (options.Value.AutoSend ? "It is sent automatically." : "Admins get a preview and type **digest send** to share it.");
    }

    private static (string Verb, string Text) Split(string? argument)
    {
        var trimmed = (argument ?? "").Trim();
        var space = trimmed.IndexOfAny([' ', '\n', '\t']);
        return space < 0
            ? (trimmed.ToLowerInvariant(), "")
            : (trimmed[..space].ToLowerInvariant(), trimmed[(space + 1)..].Trim());
    }
}
