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

    public int Excluded => ExcludedDied + ExcludedDeported + ExcludedReturnedToCustody;

    public int Known => Engaged + EngagedLate + NotEngaged;

    /// <summary>Engaged / (engaged + engaged late + not engaged); null when nothing is known yet.</summary>
    public double? Rate => Known == 0 ? null : (double)Engaged / Known;

    public ContinuityTally Add(ReleaseOutcome outcome) => Add(new Classification(outcome));

    public ContinuityTally Add(Classification classification)
    {
        var counted = this with { Released = Released + 1 };
        return classification switch
        {
            { Outcome: ReleaseOutcome.Engaged } => counted with { Engaged = Engaged + 1 },
            { Outcome: ReleaseOutcome.EngagedLate } => counted with { EngagedLate = EngagedLate + 1 },
            { Outcome: ReleaseOutcome.NotEngaged } => counted with { NotEngaged = NotEngaged + 1 },
            { Outcome: ReleaseOutcome.Pending } => counted with { Pending = Pending + 1 },
            { Outcome: ReleaseOutcome.Excluded, Reason: ExclusionReason.Died } => counted with { ExcludedDied = ExcludedDied + 1 },
            { Outcome: ReleaseOutcome.Excluded, Reason: ExclusionReason.Deported } => counted with { ExcludedDeported = ExcludedDeported + 1 },
            { Outcome: ReleaseOutcome.Excluded, Reason: ExclusionReason.ReturnedToCustody } =>
                counted with { ExcludedReturnedToCustody = ExcludedReturnedToCustody + 1 },
            _ => throw new ArgumentOutOfRangeException(nameof(classification), classification, null),
        };
    }

    public static ContinuityTally Of(IEnumerable<ReleaseOutcome> outcomes) => outcomes.Aggregate(Empty, (t, o) => t.Add(o));

    public static ContinuityTally Of(IEnumerable<Classification> outcomes) => outcomes.Aggregate(Empty, (t, o) => t.Add(o));
}

/// <summary>Counts of the retention cohort (engaged within the window) by how they stood at the horizon.</summary>
public sealed record RetentionTally(int Retained, int NotRetained, int Pending)
{
    public int Cohort => Retained + NotRetained + Pending;

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
