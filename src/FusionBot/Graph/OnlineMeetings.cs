using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace FusionBot.Graph;

public sealed record MeetingAttendee(string Email, string? Name);

public sealed record ScheduledMeeting(string EventId, string? JoinUrl);

/// <summary>Creates a Teams meeting as an event in the organiser's calendar (Graph: POST /users/{id}/events).</summary>
public sealed class OnlineMeetings(GraphServiceClient graph)
{
    public async Task<ScheduledMeeting> CreateAsync(string organiserAadId, string subject, DateTimeOffset start, TimeSpan duration,
        IReadOnlyList<MeetingAttendee> attendees, CancellationToken cancellationToken = default)
    {
        var created = await graph.Users[organiserAadId].Events.PostAsync(new Event
        {
            Subject = subject,
            Start = new DateTimeTimeZone { DateTime = start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), TimeZone = "UTC" },
            End = new DateTimeTimeZone { DateTime = (start + duration).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), TimeZone = "UTC" },
            IsOnlineMeeting = true,
            OnlineMeetingProvider = OnlineMeetingProviderType.TeamsForBusiness,
            Attendees = [.. attendees.Select(a => new Attendee
            {
                EmailAddress = new EmailAddress { Address = a.Email, Name = a.Name },
                Type = AttendeeType.Required,
            })],
        }, cancellationToken: cancellationToken);
        return new ScheduledMeeting(created?.Id ?? "", created?.OnlineMeeting?.JoinUrl);
    }
}
