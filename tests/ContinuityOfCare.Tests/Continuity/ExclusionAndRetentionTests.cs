using ContinuityOfCare.Continuity;
using NodaTime;

namespace ContinuityOfCare.Tests.Continuity;

/// <summary>
/// Exclusions and retention, every combination of days against DOMAIN.md's rules written out again here.
/// </summary>
public class ExclusionAndRetentionTests
{
    private static readonly LocalDate Release = new(2026, 10, 25); // the day clocks go back

    private static LocalDate Day(int n) => Release.PlusDays(n);

    [Theory]
    [InlineData(ExclusionReason.Died)]
    [InlineData(ExclusionReason.Deported)]
    [InlineData(ExclusionReason.ReturnedToCustody)]
    public void An_exit_in_the_window_before_any_pickup_excludes_the_journey(ExclusionReason reason)
    {
        var rules = ContinuityRules.Default;
        for (var exitDay = -1; exitDay <= 25; exitDay++)
        {
            for (int? pickup = 0; pickup <= 30; pickup++)
            {
                foreach (var pickupDay in new[] { pickup, null })
                {
                    foreach (var today in new[] { Math.Max(exitDay, pickupDay ?? 0), 21, 22, 40 })
                    {
                        if (today < exitDay || today < pickupDay)
                        {
                            continue;
                        }

                        var facts = WithExit(
                            new ContinuityFacts(Release, pickupDay is { } p ? Day(p) : null), reason, Day(exitDay));
                        var excluded = exitDay is >= 0 and <= 21 && (pickupDay is null || exitDay < pickupDay);
                        var expected = excluded
                            ? new Classification(ReleaseOutcome.Excluded, reason)
                            : new Classification(
                                ReleaseOutcomes.Classify(Release, facts.PickedUpOn, Day(today), rules.Window));
                        Assert.True(
                            expected == ReleaseOutcomes.Classify(facts, Day(today), rules),
                            $"{reason} on day {exitDay}, pickup day {pickupDay}, today day {today}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(ExclusionReason.Died)]
    [InlineData(ExclusionReason.Deported)]
    [InlineData(ExclusionReason.ReturnedToCustody)]
    public void An_exclusion_rule_switched_off_leaves_the_journey_in_the_rate(ExclusionReason reason)
    {
        var rules = new ContinuityRules(ContinuityWindow.Default, Exclusions: new ExclusionRules(
            Died: reason != ExclusionReason.Died, Deported: reason != ExclusionReason.Deported,
            ReturnedToCustody: reason != ExclusionReason.ReturnedToCustody));
        var facts = WithExit(new ContinuityFacts(Release), reason, Day(5));

        Assert.Equal(new Classification(ReleaseOutcome.Pending), ReleaseOutcomes.Classify(facts, Day(10), rules));
        Assert.Equal(new Classification(ReleaseOutcome.NotEngaged), ReleaseOutcomes.Classify(facts, Day(22), rules));
        Assert.Equal(
            new Classification(ReleaseOutcome.Excluded, reason),
            ReleaseOutcomes.Classify(facts, Day(22), ContinuityRules.Default));
    }

    [Fact]
    public void The_earliest_exit_gives_the_reason()
    {
        var facts = new ContinuityFacts(Release, DiedOn: Day(9), ReturnedToCustodyOn: Day(4));
        Assert.Equal(
            new Classification(ReleaseOutcome.Excluded, ExclusionReason.ReturnedToCustody),
            ReleaseOutcomes.Classify(facts, Day(30), ContinuityRules.Default));
    }

    [Fact]
    public void A_pickup_on_the_day_of_the_exit_still_counts() =>
        Assert.Equal(
            ReleaseOutcome.Engaged,
            ReleaseOutcomes.Classify(
                new ContinuityFacts(Release, Day(6), DiedOn: Day(6)), Day(30), ContinuityRules.Default).Outcome);

    [Fact]
    public void Retention_follows_the_treatment_at_the_horizon_for_every_ending_day_and_reason()
    {
        var rules = new ContinuityRules(ContinuityWindow.Default, RetentionDays: 84);
        foreach (var reason in Enum.GetValues<TreatmentEndReason>())
        {
            for (var endDay = 3; endDay <= 90; endDay++)
            {
                foreach (var today in new[] { endDay, 84, 85, 120 })
                {
                    if (today < endDay)
                    {
                        continue;
                    }

                    var facts = new ContinuityFacts(Release, Day(3), Ending: new TreatmentEnding(Day(endDay), reason));
                    RetentionOutcome expected = endDay <= 84
                        ? reason is TreatmentEndReason.Completed or TreatmentEndReason.Transferred
                            ? RetentionOutcome.Retained
                            : RetentionOutcome.NotRetained
                        : today > 84 ? RetentionOutcome.Retained : RetentionOutcome.Pending;
                    Assert.True(
                        expected == Retention.Classify(facts, Day(today), rules),
                        $"{reason} on day {endDay}, today day {today}");
                }
            }
        }
    }

    [Fact]
    public void Retention_is_only_asked_of_journeys_engaged_in_the_window()
    {
        var rules = ContinuityRules.Default;
        Assert.Null(Retention.Classify(new ContinuityFacts(Release, Day(22)), Day(200), rules));
        Assert.Null(Retention.Classify(new ContinuityFacts(Release), Day(200), rules));
        Assert.Null(Retention.Classify(new ContinuityFacts(Release, DiedOn: Day(3)), Day(200), rules));
        Assert.Equal(
            RetentionOutcome.Pending, Retention.Classify(new ContinuityFacts(Release, Day(21)), Day(84), rules));
        Assert.Equal(
            RetentionOutcome.Retained, Retention.Classify(new ContinuityFacts(Release, Day(21)), Day(85), rules));
        Assert.Equal(
            RetentionOutcome.NotRetained,
            Retention.Classify(new ContinuityFacts(Release, Day(21), DiedOn: Day(40)), Day(85), rules));
        Assert.Equal(
            RetentionOutcome.Retained,
            Retention.Classify(new ContinuityFacts(Release, Day(21), DiedOn: Day(85)), Day(86), rules));
    }

    [Fact]
    public void Retention_rate_is_retained_over_those_whose_horizon_has_passed()
    {
        var tally = RetentionTally.Of(
            [RetentionOutcome.Retained, RetentionOutcome.Retained, RetentionOutcome.NotRetained,
             RetentionOutcome.Pending, null]);
        Assert.Equal(new RetentionTally(2, 1, 1), tally);
        Assert.Equal(4, tally.Cohort);
        Assert.Equal(2.0 / 3, tally.Rate);
        Assert.Null(RetentionTally.Of([RetentionOutcome.Pending]).Rate);
    }

    private static ContinuityFacts WithExit(
        ContinuityFacts facts, ExclusionReason reason, LocalDate on) => reason switch
    {
        ExclusionReason.Died => facts with { DiedOn = on },
        ExclusionReason.Deported => facts with { DeportedOn = on },
        _ => facts with { ReturnedToCustodyOn = on },
    };
}
