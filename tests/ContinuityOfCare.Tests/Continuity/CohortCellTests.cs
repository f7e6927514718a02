using ContinuityOfCare.Continuity;
using ContinuityOfCare.Continuity.Cells;
using ContinuityOfCare.Journeys.Lapse;
using FsCheck.Xunit;
using NodaTime;

namespace ContinuityOfCare.Tests.Continuity;

/// <summary>
/// The cells' promise: what a journey's facts put in a cell, read on any date with the release date's phase, is
/// what classifying the journey on that date gives. Exhaustively over small journeys and dates, and by properties.
/// </summary>
public class CohortCellTests
{
    private static readonly LocalDate Released = new(2026, 3, 27);

    private static readonly ContinuityRules[] Rules =
    [
        ContinuityRules.Default,
        new(new ContinuityWindow(0), RetentionDays: 7),
        new(
            new ContinuityWindow(28), RetentionDays: 14,
            new ExclusionRules(Deported: false, ReturnedToCustody: false)),
        new(new ContinuityWindow(21), RetentionDays: 3, new ExclusionRules(Died: false)),
    ];

    /// <summary>Every combination of a pickup, one exit, an ending and a lapse reason on days -1 to 40.</summary>
    private static IEnumerable<(ContinuityFacts Facts, LapseReason? Why)> SmallJourneys()
    {
        int?[] days = [null, -1, 0, 1, 3, 7, 14, 20, 21, 22, 28, 29, 40];
        TreatmentEndReason?[] endings = [null, TreatmentEndReason.Completed, TreatmentEndReason.DroppedOut];
        foreach (var pickup in days)
        foreach (var exit in days)
        foreach (var kind in new[] { 0, 1, 2 })
        foreach (var ending in endings)
        foreach (var endDay in new int?[] { 5, 30 })
        {
            LocalDate? On(int? day) => day is { } d ? Released.PlusDays(d) : null;
            var facts = new ContinuityFacts(
                Released, On(pickup),
                DiedOn: kind == 0 ? On(exit) : null,
                DeportedOn: kind == 1 ? On(exit) : null,
                ReturnedToCustodyOn: kind == 2 ? On(exit) : null,
                Ending: ending is { } reason && pickup is { } p
                    ? new TreatmentEnding(On(p + endDay)!.Value, reason)
                    : null);
            yield return (facts, null);
            yield return (facts, LapseReason.DidNotAttend);
        }
    }

    [Fact]
    public void What_the_facts_settle_read_on_any_date_is_the_outcome_and_retention_on_that_date()
    {
        var checkedCount = 0;
        foreach (var rules in Rules)
        foreach (var (facts, why) in SmallJourneys())
        {
            var counts = Counts(facts, why, rules);
            for (var day = -2; day <= 100; day++)
            {
                var today = Released.PlusDays(day);
                var phase = CellPhase.On(Released, today, rules);
                var expected = ReleaseOutcomes.Classify(facts, today, rules);
                var tally = CohortCells.Continuity(counts, phase);
                Assert.Equal(ContinuityTally.Of([expected]), tally);
                Assert.Equal(
                    RetentionTally.Of([Retention.Classify(facts, today, rules)]), CohortCells.Retained(counts, phase));
                checkedCount++;
            }
        }

        Assert.True(checkedCount > 100_000, $"{checkedCount} checked");
    }

    [Fact]
    public void The_database_bounds_give_each_release_date_the_phase_the_rules_give_it()
    {
        foreach (var rules in Rules)
        for (var day = -150; day <= 150; day++)
        {
            var today = Released.PlusDays(day);
            var (openFrom, horizonPassedBefore) = CellPhase.Bounds(today, rules);
            var phase = CellPhase.On(Released, today, rules);
            Assert.Equal(phase.WindowOpen, Released >= openFrom);
            Assert.Equal(phase.PastHorizon, Released < horizonPassedBefore);
        }
    }

    /// <summary>Cells summed over many journeys, each read in its own release date's phase.</summary>
    [Property(MaxTest = 300)]
    public bool Summed_cells_read_on_a_date_are_the_tally_of_the_journeys_classified_on_it(
        int[] seeds, int offset, byte ruleIndex)
    {
        var rules = Rules[ruleIndex % Rules.Length];
        var today = Released.PlusDays(Math.Abs(offset % 200) - 20);
        var journeys = seeds.Select(Journey).ToList();
        var sums = new CellSums();
        foreach (var (facts, why) in journeys)
        {
            sums.Add(CellPhase.On(facts.ReleasedOn, today, rules), Counts(facts, why, rules));
        }

        var expected = ContinuityTally.Of(journeys.Select(j => ReleaseOutcomes.Classify(j.Facts, today, rules)));
        var notEngaged = journeys
            .Where(j => ReleaseOutcomes.Classify(j.Facts, today, rules).Outcome == ReleaseOutcome.NotEngaged)
            .ToList();
        var (byReason, noReason) = sums.Lapses();
        return sums.Continuity() == expected
               && sums.Retention()
               == RetentionTally.Of(journeys.Select(j => Retention.Classify(j.Facts, today, rules)))
               && noReason == notEngaged.Count(j => j.Why is null)
               && byReason[(int)LapseReason.DidNotAttend] == notEngaged.Count(j => j.Why is not null);
    }

    private static (ContinuityFacts Facts, LapseReason? Why) Journey(int seed)
    {
        var random = new Random(seed);
        var release = Released.PlusDays(random.Next(-60, 60));
        LocalDate? Maybe(int chance, int max) =>
            random.Next(100) < chance ? release.PlusDays(random.Next(-3, max)) : null;
        var pickup = Maybe(60, 40);
        var ending = pickup is { } p && random.Next(100) < 40
            ? new TreatmentEnding(p.PlusDays(random.Next(0, 120)), (TreatmentEndReason)random.Next(0, 5))
            : null;
        return (new ContinuityFacts(release, pickup, Maybe(5, 40), Maybe(5, 40), Maybe(10, 40), ending),
            random.Next(100) < 30 ? LapseReason.DidNotAttend : null);
    }

    private static int[] Counts(ContinuityFacts facts, LapseReason? why, ContinuityRules rules)
    {
        var counts = new int[CohortCells.Width];
        counts[(int)CellCount.Released] = 1;
        counts[(int)CohortCells.Settled(facts, why, rules)]++;
        return counts;
    }
}
