using System.Globalization;
using FusionBot.Storage;

namespace FusionBot.Features.Chat;

/// <summary>
/// A request id as people type it: <c>FR-000123</c>, <c>FR-123</c>, <c>fr 123</c>, <c>fr123</c>, <c>#123</c>
/// or the bare number, read as the stored form <c>FR-000123</c>.
/// </summary>
public static class RequestIdText
{
    /// <summary>A regex fragment that captures the id's number in the group "number".</summary>
    public const string Pattern = @"(?:fr\s*-?\s*|#)?(?<number>\d{1,9})";

    public static string Normalise(string number) =>
        RequestStore.FormatId(long.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture));
}
