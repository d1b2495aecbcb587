using System.Globalization;
using FusionBot.Graph;
using FusionBot.Protocol.Connector;
using FusionBot.Requests;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace FusionBot.Features.Review;

/// <summary>The outcome of asking Graph for the design review meeting: the meeting, or why there is none.</summary>
public sealed record SchedulingResult(DesignReviewMeeting? Meeting, string? Error, IReadOnlyList<string> Uninvited);

/// <summary>
/// Creates the Tier 3 design review as a Teams meeting in the reviewer's calendar, inviting maker and reviewer by
/// the email Teams knows for them (whoever has none is named, not invited). Never throws for a Graph failure.
/// </summary>
public sealed partial class DesignReviewScheduling(ILogger<DesignReviewScheduling> logger, OnlineMeetings? meetings = null)
{
    public static readonly TimeSpan Duration = TimeSpan.FromHours(1);

    public async Task<SchedulingResult> ScheduleAsync(GovernanceRequest request, Person reviewer, DateTimeOffset start, ChannelMessage? thread,
        ConnectorClient connector, CancellationToken cancellationToken)
    {
        if (meetings is null)
        {
            return new(null, "Microsoft Graph is not configured, so I cannot create the meeting. Set MicrosoftAppId (or Graph:BaseUrl) and try again.", []);
        }

        if (reviewer.AadObjectId is not { Length: > 0 } organiser)
        {
            return new(null, "Your Entra id is unknown to me, so the meeting cannot go in your calendar.", []);
        }

        var attendees = new List<MeetingAttendee>();
        var uninvited = new List<string>();
        foreach (var (person, conversation, serviceUrl) in new[]
        {
            (request.Maker, request.MakerConversation?.Conversation?.Id, request.MakerConversation?.ServiceUrl),
            (reviewer, thread?.ConversationId, thread?.ServiceUrl),
        })
        {
            var email = await EmailOfAsync(connector, person, conversation, serviceUrl, cancellationToken);
            if (email is null)
            {
                uninvited.Add(person.Name ?? person.Id);
            }
            else
            {
                attendees.Add(new MeetingAttendee(email, person.Name));
            }
        }

        try
        {
            var meeting = await meetings.CreateAsync(organiser, $"Design review {request.Id}: {request.Title}", start, Duration, attendees, cancellationToken);
            return new(new DesignReviewMeeting(start, meeting.JoinUrl, meeting.EventId), null, uninvited);
        }
        catch (Exception exception) when (exception is ApiException or HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            LogGraphFailed(logger, request.Id, exception.GetType().Name, (exception as ODataError)?.Error?.Code);
            var detail = (exception as ODataError)?.Error?.Message;
            return new(null, $"Microsoft Graph could not create the meeting{(detail is null ? "" : $" ({detail})")}. Nothing was changed; try again.", []);
        }
    }

    private static async Task<string?> EmailOfAsync(ConnectorClient connector, Person person, string? conversationId, string? serviceUrl, CancellationToken cancellationToken)
    {
        if (conversationId is null || serviceUrl is null)
        {
            return null;
        }

        try
        {
            var member = await connector.GetMemberAsync(serviceUrl, conversationId, person.AadObjectId ?? person.Id, cancellationToken);
            return member.UserPrincipalName ?? member.Email;
        }
        catch (Exception exception) when (exception is ConnectorException or HttpRequestException)
        {
            return null;
        }
    }

    public static bool TryReadStart(string? date, string? time, out DateTimeOffset start) =>
        DateTimeOffset.TryParseExact($"{date?.Trim()} {time?.Trim()}", ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out start);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph failed to create the design review meeting of {RequestId}: {Error} {Code}")]
    private static partial void LogGraphFailed(ILogger logger, string requestId, string error, string? code);
}
