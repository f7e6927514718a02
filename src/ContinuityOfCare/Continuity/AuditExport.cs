using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Organisations;
using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// One journey of the indicator's cohort with the fields a continuity audit compares. No journey or person
/// reference, no sex, age or substance, no free text: only where the release came from and went, and when it was
/// picked up (docs/national-figure.md, "The audit export").
/// </summary>
public sealed record AuditRow(
    string Prison,
    string PrisonName,
    LocalDate ReleasedOn,
    string LocalAuthority,
    string LocalAuthorityName,
    string Provider,
    string ProviderName,
    LocalDate? PickedUpOn,
    int? DaysToPickup,
    ReleaseOutcome Outcome,
    bool EngagedInWindow,
    bool InRate,
    ExclusionReason? ExclusionReason,
    LapseReason? LapseReason) : ICsvRow
{
    /// <summary>The CSV columns: the JSON fields, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "prison", "prisonName", "releasedOn", "localAuthority", "localAuthorityName", "provider", "providerName",
        "pickedUpOn", "daysToPickup", "outcome", "engagedInWindow", "inRate", "exclusionReason", "lapseReason",
    ];

    public IEnumerable<(string, object?)> Cells() => Columns.Zip<string, object?>(
    [
        Prison, PrisonName, ReleasedOn.Iso(), LocalAuthority, LocalAuthorityName, Provider, ProviderName,
        PickedUpOn?.Iso(), DaysToPickup, Code(Outcome), EngagedInWindow, InRate, Code(ExclusionReason),
        Code(LapseReason),
    ]);

    private static string? Code(Enum? value) => value is null ? null : Http.ApiJson.Code(value);
}

/// <summary>Which rows an export holds besides the period: codes, each optional.</summary>
public sealed record AuditFilter(string? Prison = null, string? LocalAuthority = null, string? Provider = null)
{
    public bool Keeps(JourneyFacts journey) =>
        (Prison is null || journey.PrisonCode == Prison)
        && (LocalAuthority is null || journey.Release?.DestinationLocalAuthority == LocalAuthority)
        && (Provider is null || journey.Provider == Provider);
}

public static class AuditExport
{
    /// <summary>
    /// A released journey's row as of a day: its outcome by the same rules as the continuity table, the pickup only
    /// when on or after the release (an earlier one is treatment before this release), and the lapse reason only
    /// while the journey is not engaged (as the lapse-reasons table counts it).
    /// </summary>
    public static AuditRow Row(
        JourneyFacts journey, LocalDate asOf, ContinuityRules rules, OrganisationDirectory organisations)
    {
        var release = journey.Release ?? throw new ArgumentException("Only released journeys", nameof(journey));
        var facts = journey.Continuity!;
        var (outcome, reason) = ReleaseOutcomes.Classify(facts, asOf, rules);
        var provider = journey.Provider ?? Breakdown.NotRecorded;
        return new AuditRow(
            journey.PrisonCode, organisations.NameOf(OrganisationKind.Prison, journey.PrisonCode),
            release.ReleasedOn,
            release.DestinationLocalAuthority,
            organisations.NameOf(OrganisationKind.LocalAuthority, release.DestinationLocalAuthority),
            provider, organisations.NameOf(OrganisationKind.Provider, provider),
            facts.Pickup, facts.Pickup is { } p ? ContinuityWindow.DayNumber(release.ReleasedOn, p) : null,
            outcome, outcome == ReleaseOutcome.Engaged,
            outcome is ReleaseOutcome.Engaged or ReleaseOutcome.EngagedLate or ReleaseOutcome.NotEngaged,
            reason, outcome == ReleaseOutcome.NotEngaged ? journey.WhyLapsed?.Reason : null);
    }

    /// <summary>The rows the filter keeps, in a stable order: by release date, then every column in turn.</summary>
    public static IReadOnlyList<AuditRow> Rows(
        IEnumerable<JourneyFacts> cohort, AuditFilter filter, LocalDate asOf, ContinuityRules rules,
        OrganisationDirectory organisations) =>
        cohort.Where(filter.Keeps)
            .Select(j => Row(j, asOf, rules, organisations))
            .OrderBy(r => r.ReleasedOn)
            .ThenBy(r => r.Prison, StringComparer.Ordinal)
            .ThenBy(r => r.LocalAuthority, StringComparer.Ordinal)
            .ThenBy(r => r.Provider, StringComparer.Ordinal)
            .ThenBy(r => r.PickedUpOn)
            .ThenBy(r => r.Outcome)
            .ThenBy(r => r.ExclusionReason)
            .ThenBy(r => r.LapseReason)
            .ToList();
}
