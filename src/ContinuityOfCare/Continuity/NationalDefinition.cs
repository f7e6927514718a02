namespace ContinuityOfCare.Continuity;

/// <summary>
/// Why this service's figure and the national one (OHID's continuity-of-care indicator, PHOF C20: adults released
/// from prison with a treatment need who start community structured treatment within 3 weeks) can differ, as codes
/// with words. docs/national-figure.md explains each; the reconciliation answers the ones that apply, with counts.
/// </summary>
public enum DifferenceReason
{
    /// <summary>Exits before a pickup inside the window take a journey out of our rate.</summary>
    ExcludedExits,

    /// <summary>Windows still open on the as-of date: our pickups may still grow.</summary>
    WindowsStillOpen,

    /// <summary>Pickups on the release date itself (day 0), which our window counts.</summary>
    PickedUpOnDay0,

    /// <summary>Pickups on the window's last day, which our window counts.</summary>
    PickedUpOnLastDay,

    /// <summary>Pickups after the window: in neither figure, but a date a day apart moves one across.</summary>
    PickedUpAfterWindow,

    /// <summary>Our window is configured to another length than 3 weeks.</summary>
    WindowLength,

    /// <summary>Ours counts what was recorded by the end of the as-of date; published, its extract.</summary>
    AsOfDate,

    /// <summary>Who is in the cohort: journeys opened in this service, against the national record of need.</summary>
    Cohort,

    /// <summary>Which prison a release belongs to: the releasing prison, after transfers.</summary>
    ReleasingPrison,

    /// <summary>Which local authority a release belongs to: the destination recorded at release.</summary>
    DestinationLocalAuthority,
}

public static class NationalDefinition
{
    /// <summary>"Within 3 weeks of release" (the national indicator); ours is Continuity:WindowDays.</summary>
    public const int NationalWindowDays = 21;

    /// <summary>The reason in plain words, for the answer and the screen; counts are given beside it.</summary>
    public static string Explain(DifferenceReason reason, int windowDays, string asOf) => reason switch
    {
        DifferenceReason.ExcludedExits =>
            "Releases we take out of our rate because the person died, was deported or returned to custody inside " +
            "the window before any pickup. The national figure may count them: check against the OHID technical " +
            "specification.",
        DifferenceReason.WindowsStillOpen =>
            "Releases whose window was still open on the as-of date: they may yet be picked up, so our figure is " +
            "provisional. A published figure is normally final.",
        DifferenceReason.PickedUpOnDay0 =>
            "Pickups on the release date (day 0), which we count. Check whether the national count starts on the " +
            "day of release or the day after.",
        DifferenceReason.PickedUpOnLastDay =>
            $"Pickups on day {windowDays}, the last day of our window, which we count. \"Within 3 weeks\" may end " +
            "a day earlier in the national count.",
        DifferenceReason.PickedUpAfterWindow =>
            "Pickups after the window: neither figure counts them, but a start date recorded a few days apart in " +
            "the two systems moves a pickup across the line.",
        DifferenceReason.WindowLength =>
            $"Our window is {windowDays} days (Continuity:WindowDays); the national indicator's is 3 weeks.",
        DifferenceReason.AsOfDate =>
            $"Ours counts what this service had recorded by the end of {asOf}; the published figure comes from its " +
            "own extract. Pickups recorded late, and corrected dates, change a figure after it is taken.",
        DifferenceReason.Cohort =>
            "Ours counts the journeys opened in this service for people in treatment in custody; the national " +
            "figure counts the releases its own records show with a treatment need. A release not recorded here is " +
            "missing from ours.",
        DifferenceReason.ReleasingPrison =>
            "We count a release against the prison that released the person, after any transfers. Check the " +
            "national attribution against the OHID technical specification.",
        DifferenceReason.DestinationLocalAuthority =>
            "We count a release against the destination local authority recorded at release, not where treatment " +
            "started. Check the national attribution against the OHID technical specification.",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
