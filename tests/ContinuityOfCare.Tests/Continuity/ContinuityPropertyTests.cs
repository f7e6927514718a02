using ContinuityOfCare.Continuity;
using FsCheck.Xunit;
using NodaTime;

namespace ContinuityOfCare.Tests.Continuity;

/// <summary>Properties of the rules that must hold for any journeys, checked on generated ones (FsCheck).</summary>
public class ContinuityPropertyTests
{
    private static readonly LocalDate Epoch = new(2026, 1, 1);

    /// <summary>
    /// A generated journey: release day, then optional pickup and exit days counted from the release.
    /// </summary>
    private static ContinuityFacts Journey(int seed)
    {
        var random = new Random(seed);
        var release = Epoch.PlusDays(random.Next(0, 365));
        LocalDate? Maybe(int chance, int max) =>
            random.Next(100) < chance ? release.PlusDays(random.Next(-3, max)) : null;
        return new ContinuityFacts(release, Maybe(60, 60), Maybe(5, 40), Maybe(5, 40), Maybe(10, 40));
    }

    private static LocalDate Today(int offset) => Epoch.PlusDays(Math.Abs(offset % 500));

    private static readonly ContinuityRules[] Rules =
    [
        ContinuityRules.Default,
        new(new ContinuityWindow(0)),
        new(new ContinuityWindow(28), Exclusions: new ExclusionRules(
            Died: true, Deported: false, ReturnedToCustody: false)),
    ];

    [Property(MaxTest = 300)]
    public bool Counts_always_add_up_to_releases(int[] seeds, int today, byte rules)
    {
        var rule = Rules[rules % Rules.Length];
        var tally = ContinuityTally.Of(seeds.Select(s => ReleaseOutcomes.Classify(Journey(s), Today(today), rule)));
        return tally.Released == seeds.Length
               && tally.Released
                   == tally.Engaged + tally.EngagedLate + tally.NotEngaged + tally.Pending + tally.Excluded
               && tally.Rate is null or >= 0 and <= 1;
    }

    [Property(MaxTest = 300)]
    public bool Adding_a_backdated_pickup_never_lowers_the_rate(int[] seeds, int today, byte pickupDay, byte rules)
    {
        var rule = Rules[rules % Rules.Length];
        var now = Today(today);
        var cohort = seeds.Select(Journey).Where(j => j.ReleasedOn <= now).ToList();
        var target = cohort.FindIndex(j => j.Pickup is null);
        if (target < 0)
        {
            return true;
        }

        // Dated any day from the release to today, and recorded now: backdated, perhaps long after the window.
        var released = cohort[target].ReleasedOn;
        var pickup = released.PlusDays(pickupDay % (Period.DaysBetween(released, now) + 1));
        if (cohort[target].Exits().Any(e => e.On < pickup))
        {
            return true; // a pickup after death, deportation or return to custody is refused by the journey's rules
        }

        var before = ContinuityTally.Of(cohort.Select(j => ReleaseOutcomes.Classify(j, now, rule))).Rate;
        cohort[target] = cohort[target] with { PickedUpOn = pickup };
        var after = ContinuityTally.Of(cohort.Select(j => ReleaseOutcomes.Classify(j, now, rule))).Rate;
        return before is null || after >= before - 1e-12;
    }

    [Property(MaxTest = 1000)]
    public bool The_window_is_22_calendar_dates_long_whatever_clock_change_it_spans(int dayOffset)
    {
        var release = new LocalDate(1990, 1, 1).PlusDays(Math.Abs(dayOffset % 25_000));
        var window = ContinuityWindow.Default;
        var dates = Enumerable.Range(-5, 40).Select(release.PlusDays).Count(d => window.Contains(release, d));

        // In instants it is 22 days give or take the hour a clock change adds or takes away; in dates it is exactly
        // 22.
        var start = LondonCalendar.Zone.AtStartOfDay(release).ToInstant();
        var hours = (LondonCalendar.EndOf(window.LastDay(release)) - start).TotalHours;
        return dates == 22
            && Period.DaysBetween(release, window.LastDay(release)) == 21
            && hours is >= 22 * 24 - 1 and <= 22 * 24 + 1;
    }
}
