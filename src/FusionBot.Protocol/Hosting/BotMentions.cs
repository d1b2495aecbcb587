using FusionBot.Protocol.Models;

namespace FusionBot.Protocol.Hosting;

public static class BotMentions
{
    private const string MentionEntityType = "mention";

    /// <summary>Whether a mention entity names the recipient (the bot).</summary>
    public static bool MentionsRecipient(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var botId = activity.Recipient?.Id;
        return botId is not null && (activity.Entities ?? []).Any(entity => IsMentionOf(entity, botId));
    }

    /// <summary>
    /// Takes the bot's own @mention (the <c>&lt;at&gt;…&lt;/at&gt;</c> text of mention entities naming the recipient) out of
    /// the text and trims it, so "<c>&lt;at&gt;Bot&lt;/at&gt; status</c>" reads "<c>status</c>". Other mentions stay.
    /// </summary>
    public static void RemoveRecipientMention(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Text is null)
        {
            return;
        }

        var botId = activity.Recipient?.Id;
        var text = activity.Text;
        foreach (var entity in activity.Entities ?? [])
        {
            if (botId is null || !IsMentionOf(entity, botId))
            {
                continue;
            }

            var mentionText = entity.Text ?? (entity.Mentioned?.Name is { } name ? $"<at>{name}</at>" : null);
            if (!string.IsNullOrEmpty(mentionText))
            {
                text = text.Replace(mentionText, string.Empty, StringComparison.OrdinalIgnoreCase);
            }
        }

        activity.Text = text.Trim();
    }

    private static bool IsMentionOf(Entity entity, string botId) =>
        string.Equals(entity.Type, MentionEntityType, StringComparison.OrdinalIgnoreCase)
        && string.Equals(entity.Mentioned?.Id, botId, StringComparison.Ordinal);
}
