using System.Security.Claims;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;

namespace ContinuityOfCare.Access;

/// <summary>The roles of DOMAIN.md's "Who does what", as they appear in tokens' `role` claims.</summary>
public static class Roles
{
    public const string Prison = "prison";
    public const string Provider = "provider";
    public const string Analyst = "analyst";
    public const string Operator = "operator";

    public static readonly string[] All = [Prison, Provider, Analyst, Operator];
}

public static class Claims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Organisation = "org";
    public const string Permission = "permission";

    /// <summary>Lets an analyst see figures without small-number suppression.</summary>
    public const string UnsuppressedFigures = "figures:unsuppressed";
}

/// <summary>Which side of the handover may take a step on a journey.</summary>
public enum Side
{
    Prison,
    Provider,
    Either,
}

/// <summary>
/// Who is calling, from their token: a user, their roles and organisations (a prison code or a provider code). A
/// prison team acts on journeys whose current prison is theirs; a provider on journeys handed over to it.
/// </summary>
public sealed record Caller(
    string User, IReadOnlySet<string> Roles, IReadOnlySet<string> Organisations, IReadOnlySet<string> Permissions)
{
    public static Caller Of(ClaimsPrincipal principal) => new(
        principal.FindFirst(Claims.Subject)?.Value ?? "unknown",
        principal.FindAll(Claims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        principal.FindAll(Claims.Organisation).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        principal.FindAll(Claims.Permission).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));

    public static Caller Of(HttpContext http) => Of(http.User);

    /// <summary>The caller's organisations as one stable text, for records and rate-limit partitions.</summary>
    public string OrganisationList => string.Join(",", Organisations.Order(StringComparer.Ordinal));

    /// <summary>Who this caller is, as a short opaque text: what their Idempotency-Keys are scoped to.</summary>
    public string Scope => Fingerprint.Of(new[] { User, OrganisationList })[..32];

    public bool IsPrisonTeamOf(string prisonCode) =>
        Roles.Contains(Access.Roles.Prison) && Organisations.Contains(prisonCode);

    public bool IsProviderOf(string? provider) =>
        provider is not null && Roles.Contains(Access.Roles.Provider) && Organisations.Contains(provider);

    public bool MayAct(Side side, JourneyFacts journey) => side switch
    {
        Side.Prison => IsPrisonTeamOf(journey.PrisonCode),
        Side.Provider => IsProviderOf(journey.HandedOverTo),
        _ => IsPrisonTeamOf(journey.PrisonCode) || IsProviderOf(journey.HandedOverTo),
    };

    /// <summary>
    /// The role and organisation an event is recorded under: those the step needed, for a caller who may take it
    /// (see <see cref="MayAct"/>); for a step either side may take, the prison team's first.
    /// </summary>
    public (string Role, string Organisation) ActingAs(Side side, JourneyFacts journey) =>
        side == Side.Provider || (side == Side.Either && !IsPrisonTeamOf(journey.PrisonCode))
            ? (Access.Roles.Provider, journey.HandedOverTo ?? "")
            : (Access.Roles.Prison, journey.PrisonCode);

    public static string NotYours(Side side, Guid journeyId) => side switch
    {
        Side.Prison => $"Journey {journeyId} is not at a prison this caller's team works for.",
        Side.Provider => $"Journey {journeyId} is not handed over to a provider this caller works for.",
        _ => $"Journey {journeyId} is neither at this caller's prison nor handed over to this caller's provider.",
    };
}
