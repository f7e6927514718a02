using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Organisations;
using NodaTime;

namespace ContinuityOfCare.Continuity.Cells;

/// <summary>
/// A count a cell keeps. Every released journey counts once in <see cref="Released"/> and once in exactly one other:
/// what its facts settle for good. What they leave open (pending or not engaged, retained or still to see) is settled
/// by the release date and "today" alone, so it is decided when a table is read (<see cref="CellPhase"/>).
/// </summary>
public enum CellCount
{
    Released,

    /// <summary>Picked up within the window; retained by a treatment ending on or before the horizon.</summary>
    EngagedRetained,

    /// <summary>Picked up within the window; not retained by an ending or an exit by the horizon.</summary>
    EngagedNotRetained,

    /// <summary>Picked up within the window, nothing recorded by the horizon: retained once it has passed.</summary>
    EngagedRetentionOpen,

    EngagedLate,
    ExcludedDied,
    ExcludedDeported,
    ExcludedReturnedToCustody,

    /// <summary>No pickup nor exclusion, no lapse reason: pending while the window is open, then not engaged</summary>
    UnpickedNoReason,

    /// <summary>The first of one count per <see cref="LapseReason"/>, in its order, for unpicked journeys.</summary>
    UnpickedFirstReason,
}

/// <summary>Where a release date stands on a date: is its window open, has its horizon passed.</summary>
public readonly record struct CellPhase(bool WindowOpen, bool PastHorizon)
{
    public static CellPhase On(LocalDate releasedOn, LocalDate today, ContinuityRules rules) =>
        new(rules.Window.IsOpenOn(releasedOn, today), today > Retention.Horizon(releasedOn, rules));

    /// <summary>
    /// The same as two bounds on the release date, for the database to group by: the window is open for releases
    /// on or after <c>OpenFrom</c>, the horizon has passed for releases before <c>HorizonPassedBefore</c>.
    /// </summary>
    public static (LocalDate OpenFrom, LocalDate HorizonPassedBefore) Bounds(
        LocalDate today, ContinuityRules rules) =>
        (rules.Window.OpenForReleasesFrom(today), today.PlusDays(-rules.RetentionDays));
}

/// <summary>The cell a journey counts in for one breakdown: its release date, the dimension and its group.</summary>
public readonly record struct CellKey(LocalDate ReleasedOn, string Dimension, string Group);

/// <summary>
/// What a released journey puts in the cells: the cells it counts in, the count its facts settle, and for a pickup
/// on or after the release (engaged or late) its day, capped at <see cref="CohortCells.PickupDayCap"/>.
/// </summary>
public sealed record CellContribution(IReadOnlyList<CellKey> Keys, CellCount Count, int? PickupDay);

/// <summary>
/// Pre-aggregated cohort cells (issue 11): per release date, breakdown and group, the counts of
/// <see cref="CellCount"/>. A table is the sum of its cells, so its cost grows with the cells in its period, not
/// with the journeys. Pure: what a journey puts in, and what a sum of cells says on a date.
/// </summary>
public static class CohortCells
{
    /// <summary>The dimension of the cells holding every release (the total, and the period breakdowns).</summary>
    public const string All = "all";

    /// <summary>How many counts a cell has.</summary>
    public static readonly int Width = (int)CellCount.UnpickedFirstReason + Enum.GetValues<LapseReason>().Length;

    /// <summary>
    /// The breakdowns kept in their own cells. Period breakdowns are read from <see cref="All"/> by release date, and
    /// the region from the prison's cells through the directory in use, so a changed directory needs no rebuild.
    /// </summary>
    public static IReadOnlyList<Dimension> Stored { get; } =
    [
        Dimension.Prison, Dimension.LocalAuthority, Dimension.Provider, Dimension.SubstanceGroup, Dimension.Sex,
        Dimension.AgeBand, Dimension.ReleaseType, Dimension.NoFixedAbode, Dimension.Naloxone, Dimension.MetAtGate,
    ];

    /// <summary>What the journey puts in the cells; null before release.</summary>
    public static CellContribution? Contribution(JourneyFacts? journey, ContinuityRules rules)
    {
        if (journey?.Continuity is not { } facts)
        {
            return null;
        }

        var keys = new List<CellKey>(Stored.Count + 1) { new(facts.ReleasedOn, All, All) };
        foreach (var dimension in Stored)
        {
            keys.Add(new CellKey(
                facts.ReleasedOn,
                Breakdown.NameOf(dimension),
                Breakdown.Key(dimension, journey, OrganisationDirectory.Shipped)));
        }

        var count = Settled(facts, journey.WhyLapsed?.Reason, rules);
        int? day = count is CellCount.EngagedRetained or CellCount.EngagedNotRetained or CellCount.EngagedRetentionOpen
            or CellCount.EngagedLate
            ? Math.Min(ContinuityWindow.DayNumber(facts.ReleasedOn, facts.Pickup!.Value), PickupDayCap(rules))
            : null;
        return new CellContribution(keys, count, day);
    }

    /// <summary>
    /// Pickup days are kept exactly up to the later of the distribution's last day and the window's, and the later
    /// ones together on the day after: the distribution counts them as later, the estimate never reaches them.
    /// </summary>
    public static int PickupDayCap(ContinuityRules rules) =>
        Math.Max(PickupDistribution.LastDay, rules.Window.Days) + 1;

    /// <summary>
    /// What the facts settle whatever the date: the classification with the window open and the horizon not reached,
    /// where "pending" is the only answer that depends on the date.
    /// </summary>
    public static CellCount Settled(ContinuityFacts facts, LapseReason? whyLapsed, ContinuityRules rules)
    {
        var classification = ReleaseOutcomes.Classify(facts, facts.ReleasedOn, rules);
        return classification switch
        {
            { Outcome: ReleaseOutcome.Engaged } =>
                Retention.Classify(facts, Retention.Horizon(facts.ReleasedOn, rules), rules) switch
                {
                    RetentionOutcome.Retained => CellCount.EngagedRetained,
                    RetentionOutcome.NotRetained => CellCount.EngagedNotRetained,
                    _ => CellCount.EngagedRetentionOpen,
                },
            { Outcome: ReleaseOutcome.EngagedLate } => CellCount.EngagedLate,
            { Reason: ExclusionReason.Died } => CellCount.ExcludedDied,
            { Reason: ExclusionReason.Deported } => CellCount.ExcludedDeported,
            { Reason: ExclusionReason.ReturnedToCustody } => CellCount.ExcludedReturnedToCustody,
            _ => whyLapsed is { } reason
                ? CellCount.UnpickedFirstReason + (int)reason
                : CellCount.UnpickedNoReason,
        };
    }

    public static int Unpicked(IReadOnlyList<int> counts) =>
        counts.Skip((int)CellCount.UnpickedNoReason).Sum();

    /// <summary>The continuity tally of summed cells whose release dates stand in <paramref name="phase"/>.</summary>
    public static ContinuityTally Continuity(IReadOnlyList<int> counts, CellPhase phase) => new(
        counts[(int)CellCount.Released],
        counts[(int)CellCount.EngagedRetained] + counts[(int)CellCount.EngagedNotRetained]
            + counts[(int)CellCount.EngagedRetentionOpen],
        counts[(int)CellCount.EngagedLate],
        phase.WindowOpen ? 0 : Unpicked(counts),
        phase.WindowOpen ? Unpicked(counts) : 0,
        counts[(int)CellCount.ExcludedDied],
        counts[(int)CellCount.ExcludedDeported],
        counts[(int)CellCount.ExcludedReturnedToCustody]);

    /// <summary>The retention tally of summed cells whose release dates stand in <paramref name="phase"/>.</summary>
    public static RetentionTally Retained(IReadOnlyList<int> counts, CellPhase phase)
    {
        var open = counts[(int)CellCount.EngagedRetentionOpen];
        return new RetentionTally(
            counts[(int)CellCount.EngagedRetained] + (phase.PastHorizon ? open : 0),
            counts[(int)CellCount.EngagedNotRetained],
            phase.PastHorizon ? 0 : open);
    }

}

/// <summary>
/// A batch's changes to the cells, each kept by the London date it was recorded on (what tables as of a date sum),
/// and the pickups' by day. Today's cells change by the sum of a cell's changes over their dates.
/// </summary>
public sealed class CellDeltas
{
    public Dictionary<(CellKey Cell, LocalDate RecordedOn), int[]> Recorded { get; } = [];

    public Dictionary<(CellKey Cell, int Day), int> Pickups { get; } = [];

    /// <summary>A journey's change on <paramref name="recordedOn"/>: less what it put in, plus what it puts.</summary>
    public void Change(LocalDate recordedOn, CellContribution? before, CellContribution? after)
    {
        Apply(recordedOn, before, -1);
        Apply(recordedOn, after, +1);
    }

    /// <summary>Each cell's changes summed over the dates they were recorded on.</summary>
    public IEnumerable<(CellKey Cell, int[] Counts)> Today() =>
        Recorded.GroupBy(r => r.Key.Cell).Select(cell => (cell.Key, Enumerable.Range(0, CohortCells.Width)
            .Select(i => cell.Sum(change => change.Value[i])).ToArray()));

    private void Apply(LocalDate recordedOn, CellContribution? part, int sign)
    {
        if (part is null)
        {
            return;
        }

        foreach (var key in part.Keys)
        {
            if (!Recorded.TryGetValue((key, recordedOn), out var counts))
            {
                Recorded[(key, recordedOn)] = counts = new int[CohortCells.Width];
            }

            counts[(int)CellCount.Released] += sign;
            counts[(int)part.Count] += sign;
            if (part.PickupDay is { } day)
            {
                Pickups[(key, day)] = Pickups.GetValueOrDefault((key, day)) + sign;
            }
        }
    }
}
