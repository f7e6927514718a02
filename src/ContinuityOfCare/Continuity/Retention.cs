using NodaTime;

namespace ContinuityOfCare.Continuity;

public enum RetentionOutcome
{
    Retained,
    NotRetained,
    Pending,
}

/// <summary>
/// Staying engaged: of the journeys picked up within the window, whether treatment was still going (or had been
/// completed) at the horizon, <see cref="ContinuityRules.RetentionDays"/> after release.
/// </summary>
public static class Retention
{
    public static LocalDate Horizon(LocalDate releasedOn, ContinuityRules rules) =>
        releasedOn.PlusDays(rules.RetentionDays);

    /// <summary>Null for journeys outside the retention cohort (not engaged within the window).</summary>
    public static RetentionOutcome? Classify(ContinuityFacts facts, LocalDate today, ContinuityRules rules)
    {
        if (ReleaseOutcomes.Classify(facts, today, rules).Outcome != ReleaseOutcome.Engaged)
        {
            return null;
        }

        var horizon = Horizon(facts.ReleasedOn, rules);

        // A treatment ending says how treatment stopped; an exit without a recorded ending stops it too.
        if (facts.Ending is { } ending && ending.EndedOn <= horizon)
        {
            return ending.Reason is TreatmentEndReason.Completed or TreatmentEndReason.Transferred
                ? RetentionOutcome.Retained
                : RetentionOutcome.NotRetained;
        }

        if (facts.Exits().Any(e => e.On <= horizon))
        {
            return RetentionOutcome.NotRetained;
        }

        return today > horizon ? RetentionOutcome.Retained : RetentionOutcome.Pending;
    }
}
