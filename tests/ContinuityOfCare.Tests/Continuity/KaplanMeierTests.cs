using ContinuityOfCare.Continuity;
using FsCheck.Xunit;
using NodaTime;

namespace ContinuityOfCare.Tests.Continuity;

/// <summary>The time-to-pickup estimate that counts people still pending (Kaplan-Meier), with its 95% band.</summary>
public class KaplanMeierTests
{
    private static readonly LocalDate Release = new(2026, 9, 1);

    /// <summary>
    /// Ten journeys, window 21, today day 30 for those released first:
    /// picked up on days 0, 2, 2, 5 and 9; pending, seen without a pickup up to days 3 and 6 (released later);
    /// two not engaged (seen to day 30); one picked up late, on day 25.
    /// <code>
    /// day  at risk  picked up  censored  S (still waiting)            share 1 - S   Greenwood sum d/(n(n-d))
    ///  0     10        1          0      9/10           = 0.9         0.1           1/(10*9)  = 0.011111
    ///  1      9        0          0      0.9                          0.1
    ///  2      9        2          0      0.9 * 7/9      = 0.7         0.3           + 2/(9*7) = 0.042857
    ///  3      7        0          1      0.7                          0.3
    ///  4      6        0          0
    ///  5      6        1          0      0.7 * 5/6      = 0.583333    0.416667      + 1/(6*5) = 0.076190
    ///  6      5        0          1
    ///  7..8   4        0          0
    ///  9      4        1          0      0.583333 * 3/4 = 0.4375      0.5625        + 1/(4*3) = 0.159524
    /// 10..21  3        0          0      0.4375                       0.5625        (two not engaged, one late)
    /// </code>
    /// Band on day 9, log-log: σ = √0.159524 / |ln 0.4375| = 0.399404 / 0.826679 = 0.483139;
    /// e^(1.959964 σ) = 2.578929; S^(1/2.578929) = 0.725649 and S^2.578929 = 0.118715, so the share picked up lies in
    /// [1 - 0.725649, 1 - 0.118715] = [0.274351, 0.881285]. On day 0: σ = √(1/90) / |ln 0.9| = 1.000436,
    /// e^(1.959964 σ) = 7.103; [1 - 0.9^(1/7.103), 1 - 0.9^7.103] = [0.014719, 0.526991].
    /// The plain distribution, which leaves out the two pending, says 5 of 8 = 0.625 by day 9.
    /// </summary>
    [Fact]
    public void A_hand_computed_example()
    {
        (int, bool)[] observations =
        [
            (0, true), (2, true), (2, true), (5, true), (9, true), (3, false), (6, false), (30, false), (30, false),
            (25, true),
        ];

        var days = KaplanMeier.Estimate(observations, lastDay: 21);

        Assert.Equal(22, days.Count);
        Assert.Equal(
            [10, 9, 9, 7, 6, 6, 5, 4, 4, 4, 3], days.Take(11).Select(d => d.AtRisk));
        Assert.Equal([1, 0, 2, 0, 0, 1, 0, 0, 0, 1, 0], days.Take(11).Select(d => d.PickedUp));
        Assert.Equal([0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0], days.Take(11).Select(d => d.Censored));
        double[] shares = [0.1, 0.1, 0.3, 0.3, 0.3, 1 - 0.7 * 5 / 6, 1 - 0.7 * 5 / 6, 1 - 0.7 * 5 / 6];
        for (var day = 0; day < shares.Length; day++)
        {
            Assert.Equal(shares[day], days[day].Share!.Value, 12);
        }

        Assert.All(days.Skip(9), d => Assert.Equal(0.5625, d.Share!.Value, 12));
        Assert.Equal(0.274351, days[9].Lower!.Value, 6);
        Assert.Equal(0.881285, days[9].Upper!.Value, 6);
        Assert.Equal(0.014719, days[0].Lower!.Value, 6);
        Assert.Equal(0.526991, days[0].Upper!.Value, 6);
        Assert.Equal(3, days[21].AtRisk);
    }

    [Fact]
    public void Journeys_map_to_observations_as_the_rate_classifies_them()
    {
        var today = Release.PlusDays(10);
        var rules = ContinuityRules.Default;
        Assert.Equal(
            (4, true), KaplanMeier.Observation(new ContinuityFacts(Release, Release.PlusDays(4)), today, rules));
        Assert.Equal((10, false), KaplanMeier.Observation(new ContinuityFacts(Release), today, rules)); // pending
        Assert.Null(KaplanMeier.Observation(new ContinuityFacts(Release, DiedOn: Release.PlusDays(2)), today, rules));
        Assert.Equal( // not engaged: seen without a pickup to today
            (40, false), KaplanMeier.Observation(new ContinuityFacts(Release), Release.PlusDays(40), rules));
        Assert.Equal( // a pickup dated before the release is no pickup
            (10, false), KaplanMeier.Observation(new ContinuityFacts(Release, Release.PlusDays(-3)), today, rules));
    }

    [Fact]
    public void Before_anyone_is_picked_up_there_is_no_band_and_after_everyone_the_share_stays_one()
    {
        var days = KaplanMeier.Estimate([(2, true), (2, true)], lastDay: 4);
        Assert.Equal([0.0, 0.0, 1.0, 1.0, 1.0], days.Select(d => d.Share!.Value));
        Assert.All(days, d => Assert.Null(d.Lower));

        var unseen = KaplanMeier.Estimate([(1, false)], lastDay: 3);
        Assert.Equal([0.0, 0.0, null, null], unseen.Select(d => d.Share));
        Assert.All(KaplanMeier.Estimate([], lastDay: 5), d => Assert.Null(d.Share));
    }

    /// <summary>Generated journeys, as in ContinuityPropertyTests: pickups, exits, and releases up to today.</summary>
    private static IReadOnlyList<ContinuityFacts> Journeys(int[] seeds, LocalDate today) =>
        seeds.Select(seed =>
        {
            var random = new Random(seed);
            var release = today.PlusDays(-random.Next(0, 120));
            LocalDate? Maybe(int chance, int max) =>
                random.Next(100) < chance ? Min(release.PlusDays(random.Next(-2, max)), today) : null;
            return new ContinuityFacts(release, Maybe(60, 50), Maybe(5, 40), Maybe(5, 40), Maybe(10, 40));
        }).ToList();

    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;

    private static IReadOnlyList<PickupEstimateDay> EstimateOf(
        IReadOnlyList<ContinuityFacts> journeys, LocalDate today)
    {
        var estimate = PickupDistribution.Of("all", journeys, today, ContinuityRules.Default).Estimate!;
        return estimate.Days;
    }

    [Property(MaxTest = 300)]
    public bool The_estimate_never_falls_and_it_and_its_band_stay_within_zero_and_one(int[] seeds)
    {
        var today = new LocalDate(2026, 11, 23);
        var days = EstimateOf(Journeys(seeds, today), today);
        var shares = days.TakeWhile(d => d.Share is not null).Select(d => d.Share!.Value).ToList();
        return days.Count == ContinuityRules.Default.Window.Days + 1
               && shares.Zip(shares.Skip(1)).All(p => p.First <= p.Second)
               && days.All(d => d.Share is null or (>= 0 and <= 1))
               && days.All(d => d.Lower is null || (0 <= d.Lower && d.Lower <= d.Share && d.Share <= d.Upper
                                                  && d.Upper <= 1));
    }

    [Property(MaxTest = 300)]
    public bool With_nobody_pending_the_estimate_is_the_plain_distribution(int[] seeds)
    {
        // Every window closed: nobody is censored before the window's last day.
        var today = new LocalDate(2026, 11, 23);
        var journeys = Journeys(seeds, today.PlusDays(-22));
        var distribution = PickupDistribution.Of("all", journeys, today, ContinuityRules.Default);
        return distribution.Estimate!.Pending == 0
               && distribution.Estimate.Days.All(d =>
                   distribution.Days![d.Day].ShareByThen is not { } plain
                       ? d.Share is null
                       : Math.Abs(plain - d.Share!.Value) < 1e-12);
    }

    [Property(MaxTest = 200)]
    public bool Counting_the_pending_for_the_days_they_were_seen_moves_no_one_in_or_out(int[] seeds)
    {
        var today = new LocalDate(2026, 11, 23);
        var journeys = Journeys(seeds, today);
        var distribution = PickupDistribution.Of("all", journeys, today, ContinuityRules.Default);
        var tally = ContinuityTally.Of(
            journeys.Select(j => ReleaseOutcomes.Classify(j, today, ContinuityRules.Default)));
        var estimate = distribution.Estimate!;
        return estimate.Observed == tally.Known + tally.Pending && estimate.Pending == tally.Pending
               && (estimate.Observed == 0 || estimate.Days[0].AtRisk == estimate.Observed);
    }
}
