using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>Where the figures are compared: one prison (releasing) or one local authority (destination).</summary>
public enum AreaKind
{
    Prison,
    LocalAuthority,
}

public sealed record Area(AreaKind Kind, string Code, string Name);

/// <summary>The published figure: releases, and of those the pickups within 3 weeks; the rate follows.</summary>
public sealed record PublishedFigure(int Releases, int Pickups)
{
    public double? Rate => Releases == 0 ? null : (double)Pickups / Releases;
}

/// <summary>
/// This service's figure for the same area and period. Releases are every release in the period, as the
/// continuity table's `released`; pickups the engaged (within the window); the rate the continuity rate, whose
/// denominator (<see cref="Counted"/>) leaves out the pending and the excluded.
/// </summary>
public sealed record OurFigure(
    int Releases,
    int Pickups,
    int Counted,
    double? Rate,
    int EngagedLate,
    int NotEngaged,
    int Pending,
    int Excluded,
    ExcludedByReason ExcludedByReason,
    int PickedUpOnDay0,
    int PickedUpOnLastDay)
{
    /// <summary>The figure of <paramref name="journeys"/> (released in the period, in the area) as of a day.</summary>
    public static OurFigure Of(IEnumerable<ContinuityFacts> journeys, LocalDate asOf, ContinuityRules rules)
    {
        var classified = journeys.Select(j => (Facts: j, Outcome: ReleaseOutcomes.Classify(j, asOf, rules))).ToList();
        var tally = ContinuityTally.Of(classified.Select(c => c.Outcome));
        var engagedDays = classified
            .Where(c => c.Outcome.Outcome == ReleaseOutcome.Engaged)
            .Select(c => ContinuityWindow.DayNumber(c.Facts.ReleasedOn, c.Facts.Pickup!.Value))
            .ToList();
        return new OurFigure(
            tally.Released, tally.Engaged, tally.Known, tally.Rate, tally.EngagedLate, tally.NotEngaged, tally.Pending,
            tally.Excluded,
            new ExcludedByReason(tally.ExcludedDied, tally.ExcludedDeported, tally.ExcludedReturnedToCustody),
            engagedDays.Count(d => d == 0),
            // A window of 0 days has one day: its pickups are counted once, on day 0.
            rules.Window.Days == 0 ? 0 : engagedDays.Count(d => d == rules.Window.Days));
    }
}

/// <summary>Ours minus published; rate points are percentage points to one decimal.</summary>
public sealed record FigureDifference(int? Releases, int? Pickups, double? RatePoints);

/// <summary>A reason that can explain a difference, with how many of ours it concerns where that is a count.</summary>
public sealed record ExplainedReason(DifferenceReason Reason, int? Count, string Text);

public sealed record ReconciliationResult(
    OurFigure? Ours, PublishedFigure Published, FigureDifference Difference, bool Suppressed,
    IReadOnlyList<ExplainedReason> Reasons);

/// <summary>
/// The comparison of our figure with a published one, as pure rules. Disclosure control: when our figure for the
/// area is suppressed in the table by that dimension (<see cref="Disclosure.SuppressedKeys"/>), so are our counts,
/// every difference (the published figure plus the difference would give ours away) and every count beside a
/// reason; the reasons are then all listed, without counts, so which apply gives nothing away either.
/// </summary>
public static class Reconciliation
{
    /// <summary>Reasons that concern a count of our journeys, in the order answered.</summary>
    public static IReadOnlyList<DifferenceReason> Counted { get; } =
    [
        DifferenceReason.ExcludedExits, DifferenceReason.WindowsStillOpen, DifferenceReason.PickedUpOnDay0,
        DifferenceReason.PickedUpOnLastDay, DifferenceReason.PickedUpAfterWindow,
    ];

    public static ReconciliationResult Compare(
        OurFigure ours, PublishedFigure published, bool suppressed, AreaKind area, int windowDays, LocalDate asOf)
    {
        var always = new List<DifferenceReason>();
        if (windowDays != NationalDefinition.NationalWindowDays)
        {
            always.Add(DifferenceReason.WindowLength);
        }

        always.AddRange([
            DifferenceReason.AsOfDate, DifferenceReason.Cohort,
            area == AreaKind.Prison ? DifferenceReason.ReleasingPrison : DifferenceReason.DestinationLocalAuthority,
        ]);
        string Text(DifferenceReason reason) => NationalDefinition.Explain(reason, windowDays, asOf.Iso());

        if (suppressed)
        {
            return new ReconciliationResult(
                null, published, new FigureDifference(null, null, null), Suppressed: true,
                Counted.Concat(always).Select(r => new ExplainedReason(r, null, Text(r))).ToList());
        }

        var counted = Counted
            .Select(r => new ExplainedReason(r, CountFor(r, ours), Text(r)))
            .Where(r => r.Count > 0);
        return new ReconciliationResult(
            ours, published,
            new FigureDifference(ours.Releases - published.Releases, ours.Pickups - published.Pickups,
                RatePoints(ours.Rate, published.Rate)),
            Suppressed: false,
            counted.Concat(always.Select(r => new ExplainedReason(r, null, Text(r)))).ToList());
    }

    /// <summary>Ours minus published in percentage points, to one decimal; null when either rate is.</summary>
    public static double? RatePoints(double? ours, double? published) =>
        ours is { } o && published is { } p ? Math.Round((o - p) * 100, 1, MidpointRounding.AwayFromZero) : null;

    /// <summary>
    /// Whether the area's figures are hidden: exactly when the table by that dimension hides its group.
    /// </summary>
    public static bool IsSuppressed(
        IReadOnlyList<(string Key, int Released)> groups, string code, int threshold) =>
        Disclosure.SuppressedKeys(groups, threshold).Contains(code);

    private static int CountFor(DifferenceReason reason, OurFigure ours) => reason switch
    {
        DifferenceReason.ExcludedExits => ours.Excluded,
        DifferenceReason.WindowsStillOpen => ours.Pending,
        DifferenceReason.PickedUpOnDay0 => ours.PickedUpOnDay0,
        DifferenceReason.PickedUpOnLastDay => ours.PickedUpOnLastDay,
        DifferenceReason.PickedUpAfterWindow => ours.EngagedLate,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
