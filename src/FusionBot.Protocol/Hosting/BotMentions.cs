using FusionBot.Protocol.Models;

namespace FusionBot.Protocol.Hosting;

public static class BotMentions
{
    private const string MentionEntityType = "mention";

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
            if (botId is null ||
                !string.Equals(entity.Type, MentionEntityType, StringComparison.OrdinalIgnoreCase) ||
                !string.Equals(entity.Mentioned?.Id, botId, StringComparison.Ordinal))
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
}
