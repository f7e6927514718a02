using Marten;

namespace ContinuityOfCare.Access;

/// <summary>
/// Who recorded an event: kept in Marten's event headers beside the correlation id and the recorded time.
/// </summary>
public sealed record RecordedBy(string User, string Role, string Organisation);

public static class Audit
{
    public const string UserHeader = "user";
    public const string RoleHeader = "role";
    public const string OrganisationHeader = "organisation";

    /// <summary>The service itself, for events no person posted (the window-close check).</summary>
    public static readonly RecordedBy Service = new("continuity-of-care", "system", "continuity-of-care");

    public static void Stamp(IDocumentSession session, RecordedBy by)
    {
        session.SetHeader(UserHeader, by.User);
        session.SetHeader(RoleHeader, by.Role);
        session.SetHeader(OrganisationHeader, by.Organisation);
    }

    public static RecordedBy? Of(IReadOnlyDictionary<string, object>? headers) =>
        headers is not null && headers.TryGetValue(UserHeader, out var user)
            ? new RecordedBy(user?.ToString() ?? "", Text(headers, RoleHeader), Text(headers, OrganisationHeader))
            : null;

    private static string Text(IReadOnlyDictionary<string, object> headers, string key) =>
        headers.TryGetValue(key, out var value) ? value?.ToString() ?? "" : "";
}
