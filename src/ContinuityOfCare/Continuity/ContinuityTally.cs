namespace ContinuityOfCare.Continuity;

/// <summary>
/// Counts of released journeys by outcome. The rate's denominator is every journey whose outcome is known:
/// pending and excluded journeys are reported beside it, never counted as failures.
/// </summary>
public sealed record ContinuityTally(
    int Released,
    int Engaged,
    int EngagedLate,
    int NotEngaged,
    int Pending,
    int ExcludedDied = 0,
    int ExcludedDeported = 0,
    int ExcludedReturnedToCustody = 0)
{
    public static ContinuityTally Empty { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Two tallies of separate journeys as one (the cohort cells' sums of phases).</summary>
    public static ContinuityTally operator +(ContinuityTally a, ContinuityTally b) => new(
        a.Released + b.Released, a.Engaged + b.Engaged, a.EngagedLate + b.EngagedLate, a.NotEngaged + b.NotEngaged,
        a.Pending + b.Pending, a.ExcludedDied + b.ExcludedDied, a.ExcludedDeported + b.ExcludedDeported,
        a.ExcludedReturnedToCustody + b.ExcludedReturnedToCustody);

    public int Excluded => ExcludedDied + ExcludedDeported + ExcludedReturnedToCustody;

    public int Known => Engaged + EngagedLate + NotEngaged;

    /// <summary>Engaged / (engaged + engaged late + not engaged); null when nothing is known yet.</summary>
    public double? Rate => Known == 0 ? null : (double)Engaged / Known;

    public static ContinuityTally Of(IEnumerable<ReleaseOutcome> outcomes) =>
        Of(outcomes.Select(o => new Classification(o)));

    public static ContinuityTally Of(IEnumerable<Classification> outcomes)
    {
        // Counted in place: a new record per journey would dominate an analyst request's allocations.
        var counts = new int[7];
        foreach (var outcome in outcomes)
        {
            counts[outcome switch
            {
                { Outcome: ReleaseOutcome.Engaged } => 0,
                { Outcome: ReleaseOutcome.EngagedLate } => 1,
                { Outcome: ReleaseOutcome.NotEngaged } => 2,
                { Outcome: ReleaseOutcome.Pending } => 3,
                { Outcome: ReleaseOutcome.Excluded, Reason: ExclusionReason.Died } => 4,
                { Outcome: ReleaseOutcome.Excluded, Reason: ExclusionReason.Deported } => 5,
                { Outcome: ReleaseOutcome.Excluded, Reason: ExclusionReason.ReturnedToCustody } => 6,
                _ => throw new ArgumentOutOfRangeException(nameof(outcomes), outcome, null),
            }]++;
        }

        return new ContinuityTally(
            counts.Sum(), counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6]);
    }
}

/// <summary>Counts of the retention cohort (engaged within the window) by how they stood at the horizon.</summary>
public sealed record RetentionTally(int Retained, int NotRetained, int Pending)
{
    public static RetentionTally Empty { get; } = new(0, 0, 0);

    public int Cohort => Retained + NotRetained + Pending;

    /// <summary>Two tallies of separate journeys as one (the cohort cells' sums of phases).</summary>
    public static RetentionTally operator +(RetentionTally a, RetentionTally b) =>
        new(a.Retained + b.Retained, a.NotRetained + b.NotRetained, a.Pending + b.Pending);

    /// <summary>Retained / (retained + not retained); null when no horizon has passed yet.</summary>
    public double? Rate => Retained + NotRetained == 0 ? null : (double)Retained / (Retained + NotRetained);

    public static RetentionTally Of(IEnumerable<RetentionOutcome?> outcomes)
    {
        int retained = 0, notRetained = 0, pending = 0;
        foreach (var outcome in outcomes)
        {
            switch (outcome)
            {
                case RetentionOutcome.Retained: retained++; break;
                case RetentionOutcome.NotRetained: notRetained++; break;
                case RetentionOutcome.Pending: pending++; break;
            }
        }

        return new RetentionTally(retained, notRetained, pending);
    }
}
