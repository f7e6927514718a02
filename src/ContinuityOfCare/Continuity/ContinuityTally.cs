namespace ContinuityOfCare.Continuity;

/// <summary>
/// Counts of released journeys by outcome. The rate's denominator is every journey whose outcome is known:
/// pending journeys are reported beside it, never counted as failures.
/// </summary>
public sealed record ContinuityTally(int Released, int Engaged, int EngagedLate, int NotEngaged, int Pending)
{
    public static ContinuityTally Empty { get; } = new(0, 0, 0, 0, 0);

    public int Known => Engaged + EngagedLate + NotEngaged;

    /// <summary>Engaged / (engaged + engaged late + not engaged); null when nothing is known yet.</summary>
    public double? Rate => Known == 0 ? null : (double)Engaged / Known;

    public ContinuityTally Add(ReleaseOutcome outcome) => outcome switch
    {
        ReleaseOutcome.Engaged => this with { Released = Released + 1, Engaged = Engaged + 1 },
        ReleaseOutcome.EngagedLate => this with { Released = Released + 1, EngagedLate = EngagedLate + 1 },
        ReleaseOutcome.NotEngaged => this with { Released = Released + 1, NotEngaged = NotEngaged + 1 },
        ReleaseOutcome.Pending => this with { Released = Released + 1, Pending = Pending + 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static ContinuityTally Of(IEnumerable<ReleaseOutcome> outcomes) => outcomes.Aggregate(Empty, (t, o) => t.Add(o));
}
