using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// How a released journey stands on a given date (see DOMAIN.md, "Outcome of each released journey").
/// </summary>
public enum ReleaseOutcome
{
    Engaged,
    EngagedLate,
    NotEngaged,
    Pending,
    Excluded,
}

/// <summary>Why a released journey left the cohort before it could be picked up.</summary>
public enum ExclusionReason
{
    Died,
    Deported,
    ReturnedToCustody,
}

/// <summary>An outcome, with the reason when it is <see cref="ReleaseOutcome.Excluded"/>.</summary>
public readonly record struct Classification(ReleaseOutcome Outcome, ExclusionReason? Reason = null);

/// <summary>
/// The business dates a released journey's outcome depends on, whatever order they were recorded in. A pickup dated
/// before the release is community treatment before this release, not continuity after it.
/// </summary>
public sealed record ContinuityFacts(
    LocalDate ReleasedOn,
    LocalDate? PickedUpOn = null,
    LocalDate? DiedOn = null,
    LocalDate? DeportedOn = null,
    LocalDate? ReturnedToCustodyOn = null,
    TreatmentEnding? Ending = null)
{
    public LocalDate? Pickup => PickedUpOn is { } p && p >= ReleasedOn ? p : null;

    public IEnumerable<(ExclusionReason Reason, LocalDate On)> Exits()
    {
        if (DiedOn is { } died)
        {
            yield return (ExclusionReason.Died, died);
        }

        if (DeportedOn is { } deported)
        {
            yield return (ExclusionReason.Deported, deported);
        }

        if (ReturnedToCustodyOn is { } returned)
        {
            yield return (ExclusionReason.ReturnedToCustody, returned);
        }
    }
}

public enum TreatmentEndReason
{
    Completed,
    DroppedOut,
    Transferred,
    Died,
    Custody,
}

public sealed record TreatmentEnding(LocalDate EndedOn, TreatmentEndReason Reason);

public static class ReleaseOutcomes
{
    public static ReleaseOutcome Classify(
        LocalDate releasedOn, LocalDate? pickedUpOn, LocalDate today, ContinuityWindow window) =>
        Classify(new ContinuityFacts(releasedOn, pickedUpOn), today, new ContinuityRules(window)).Outcome;

    /// <summary>
    /// Excluded when an exit the rules count (death, deportation, return to custody) falls inside the window and
    /// before any pickup: a pickup on the same date as the exit still counts. Otherwise the pickup date decides,
    /// and without one, whether the window is still open on <paramref name="today"/>.
    /// </summary>
    public static Classification Classify(ContinuityFacts facts, LocalDate today, ContinuityRules rules)
    {
        var window = rules.Window;
        var pickup = facts.Pickup;

        // The earliest counted exit wins; on the same date the first in ExclusionReason order. Written out rather
        // than as a query: this runs once per journey per analyst request (see the benchmarks).
        ExclusionReason? exit = null;
        LocalDate earliest = default;
        void Consider(ExclusionReason reason, LocalDate? on)
        {
            if (on is { } date && rules.Exclusions.Applies(reason) && window.Contains(facts.ReleasedOn, date)
                && (pickup is null || date < pickup) && (exit is null || date < earliest))
            {
                exit = reason;
                earliest = date;
            }
        }

        Consider(ExclusionReason.Died, facts.DiedOn);
        Consider(ExclusionReason.Deported, facts.DeportedOn);
        Consider(ExclusionReason.ReturnedToCustody, facts.ReturnedToCustodyOn);
        if (exit is { } reason)
        {
            return new Classification(ReleaseOutcome.Excluded, reason);
        }

        if (pickup is { } p)
        {
            return new Classification(
                window.Contains(facts.ReleasedOn, p) ? ReleaseOutcome.Engaged : ReleaseOutcome.EngagedLate);
        }

        return new Classification(
            window.IsOpenOn(facts.ReleasedOn, today) ? ReleaseOutcome.Pending : ReleaseOutcome.NotEngaged);
    }
}
