using System.Globalization;
using FusionBot.Cards;
using FusionBot.Protocol.Models;
using FusionBot.Requests;

namespace FusionBot.Features.Sla;

/// <summary>The texts of SLA reminders and escalations. Titles are maker-typed, so they are escaped.</summary>
public static class SlaMessages
{
    /// <summary>
    /// The reminder replied in the card's thread. The assigned reviewer, if any, is @mentioned (Teams needs the
    /// <c>&lt;at&gt;</c> text and a matching mention entity) so the reminder reaches them as a notification.
    /// The due time is in <paramref name="zone"/>, the assigned reviewer's when known, else UTC.
    /// </summary>
    public static Activity Reminder(GovernanceRequest request, TimeSpan left, DateTimeOffset dueAt, TimeZoneInfo? zone = null)
    {
        var waiting = $"**{request.Id}** · {CardText.EscapeLine(request.Title)} (Tier {Tier(request)}) is still waiting {WaitingFor(request.Tier)}: " +
            $"{Duration(left)} left, due {LocalTime.Format(dueAt, zone)}.";
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            TextFormat = "markdown",
            Summary = $"Reminder: {request.Id} is due {LocalTime.Format(dueAt, zone)}",
        };
        if (request.Reviewer is { Name: { Length: > 0 } name } reviewer)
        {
            var mention = $"<at>{name}</at>";
            activity.Text = $"⏰ {mention}, {waiting}";
            activity.Entities = [new Entity { Type = "mention", Text = mention, Mentioned = new ChannelAccount { Id = reviewer.Id, Name = name } }];
        }
        else
        {
            activity.Text = $"⏰ {waiting} No reviewer has picked it up yet.";
        }

        return activity;
    }

    /// <summary>The escalation CoE admins get 1:1 (in their time zone when known) and the community channel sees (UTC).</summary>
    public static Activity Escalation(GovernanceRequest request, DateTimeOffset dueAt, TimeZoneInfo? zone = null)
    {
        var reviewer = request.Reviewer?.Name is { Length: > 0 } name ? $"reviewer {CardText.EscapeLine(name)}" : "no reviewer assigned";
        return Message(
            $"🚨 SLA breached: **{request.Id}** · {CardText.EscapeLine(request.Title)} (Tier {Tier(request)}) was due {LocalTime.Format(dueAt, zone)} " +
            $"and is still waiting {WaitingFor(request.Tier)}. Maker: {CardText.EscapeLine(request.Maker.Name ?? request.Maker.Id)}; {reviewer}.",
            $"SLA breached: {request.Id}");
    }

    /// <summary>The one message the maker gets when their review is overdue, the due time in their zone when known.</summary>
    public static Activity MakerOverdue(GovernanceRequest request, DateTimeOffset dueAt, TimeZoneInfo? zone = null) => Message(
        $"Your request **{request.Id}** · {CardText.EscapeLine(request.Title)} is overdue: it was due {LocalTime.Format(dueAt, zone)}. " +
        "The CoE has been alerted and will follow up. Sorry for the wait.",
        $"{request.Id} is overdue; the CoE has been alerted");

    /// <summary>"2 days 4 hours", "3 hours 20 minutes", "12 minutes": the two largest non-zero units are enough to act on.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return "less than a minute";
        }

        var parts = new List<string>();
        Add(parts, span.Days, "day");
        Add(parts, span.Hours, "hour");
        Add(parts, span.Minutes, "minute");
        return string.Join(' ', parts.Take(2));
    }

    private static void Add(List<string> parts, int value, string unit)
    {
        if (value > 0)
        {
            parts.Add(value == 1 ? $"1 {unit}" : string.Create(CultureInfo.InvariantCulture, $"{value} {unit}s"));
        }
    }

    private static string WaitingFor(int tier) => tier switch
    {
        3 => "for its design review to be scheduled",
        4 => "for a pro developer to take ownership",
        _ => "for a review decision",
    };

    private static string Tier(GovernanceRequest request) => request.Tier.ToString(CultureInfo.InvariantCulture);

    private static Activity Message(string text, string summary) => new()
    {
        Type = ActivityTypes.Message,
        TextFormat = "markdown",
        Text = text,
        Summary = summary,
    };
}
