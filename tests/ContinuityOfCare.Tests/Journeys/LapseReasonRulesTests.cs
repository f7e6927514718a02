using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Erasure;
using ContinuityOfCare.Journeys.Exits;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Journeys.TreatmentStart;
using NodaTime;

namespace ContinuityOfCare.Tests.Journeys;

/// <summary>
/// Recording why a window lapsed, as a pure decision: only once the window closed without a pickup (the analysts'
/// not engaged), the same reason again changes nothing, a different one is a correction; and the request's own checks.
/// </summary>
public class LapseReasonRulesTests
{
    private static readonly LocalDate ReleasedOn = new(2026, 10, 1);
    private static readonly LocalDate LastDay = ReleasedOn.PlusDays(21);
    private static readonly LocalDate Today = new(2026, 11, 23);
    private static readonly ContinuityRules Rules = ContinuityRules.Default;
    private static readonly Guid Id = Guid.Parse("0190a000-0000-7000-8000-000000000002");

    private static JourneyFacts Opened() => JourneyFacts.Open(
        new JourneyOpened("J-1", "P-1", "LEI", Sex.Male, 1985, SubstanceGroup.Opiate, new LocalDate(2026, 3, 2)));

    private static JourneyFacts Released(LocalDate? on = null) => Opened().Evolve(
        new ReleasedFromCustody(
            on ?? ReleasedOn, ReleaseType.Licence, "E08000035", "FORWARD-LEEDS", null, null, null));

    private static RecordLapseReason Asked(LapseReason reason, string? text = null, LocalDate? learnedOn = null) =>
        new(Id, reason, text, learnedOn ?? Today);

    private static Decision Decide(JourneyFacts facts, RecordLapseReason asked, LocalDate? today = null) =>
        RecordLapseReasonEndpoint.Decide(facts, asked, today ?? Today, Rules);

    private static void Rejects(Decision decision, string field, string reason)
    {
        var rejected = Assert.IsType<Rejected>(decision);
        Assert.Equal(field, rejected.Field);
        Assert.Contains(reason, rejected.Reason);
    }

    [Fact]
    public void A_lapsed_window_gets_its_reason()
    {
        var accepted = Assert.IsType<Accepted>(Decide(Released(), Asked(LapseReason.MovedArea)));
        Assert.Equal(new LapseReasonRecorded(LapseReason.MovedArea, null, Today), accepted.Event);
        Assert.Equal(
            new LapseExplanation(LapseReason.MovedArea, null, Today), Released().Evolve(accepted.Event).WhyLapsed);
    }

    [Fact]
    public void No_reason_is_recorded_before_a_release_or_while_the_window_is_open()
    {
        Rejects(Decide(Opened(), Asked(LapseReason.NotReferred)), "reason", "has not been released");
        Rejects(
            Decide(Released(), Asked(LapseReason.NotReferred), today: LastDay), "reason",
            "the window is open until 2026-10-22");
        Assert.IsType<Accepted>(Decide(Released(), Asked(LapseReason.NotReferred), today: LastDay.PlusDays(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    [InlineData(40)] // engaged late: picked up, so not lapsed without a pickup
    public void A_journey_picked_up_has_no_lapse_reason(int day) =>
        Rejects(
            Decide(Released().Evolve(new CommunityTreatmentStarted(ReleasedOn.PlusDays(day))),
                Asked(LapseReason.DidNotAttend)),
            "reason", $"community treatment started on {ReleasedOn.PlusDays(day).Iso()}");

    [Fact]
    public void An_excluded_journey_did_not_lapse_but_an_exit_after_the_window_leaves_it_lapsed()
    {
        Rejects(
            Decide(Released().Evolve(new Died(ReleasedOn.PlusDays(10))), Asked(LapseReason.DiedNotRecorded)),
            "reason", "excluded (died within the window)");
        Assert.IsType<Accepted>(Decide(
            Released().Evolve(new ReturnedToCustody(LastDay.PlusDays(5), ReturnToCustodyReason.Recall)),
            Asked(LapseReason.ReturnedToCustodyNotRecorded)));
    }

    [Fact]
    public void The_same_reason_again_is_already_recorded_and_a_different_one_corrects_it()
    {
        var recorded = Released().Evolve(new LapseReasonRecorded(LapseReason.NoContactDetails, null, Today));
        Assert.IsType<Unchanged>(Decide(recorded, Asked(LapseReason.NoContactDetails)));
        // The date it was learnt is not the fact: the same reason on another day is still the same.
        Assert.IsType<Unchanged>(Decide(recorded, Asked(LapseReason.NoContactDetails, learnedOn: Today.PlusDays(-3))));

        var corrected = Assert.IsType<Accepted>(Decide(recorded, Asked(LapseReason.InHospital)));
        Assert.Equal(
            new LapseReasonCorrected(LapseReason.NoContactDetails, LapseReason.InHospital, null, Today),
            corrected.Event);
        Assert.Equal(LapseReason.InHospital, recorded.Evolve(corrected.Event).WhyLapsed!.Reason);

        var other = recorded.Evolve(corrected.Event).Evolve(
            new LapseReasonCorrected(LapseReason.InHospital, LapseReason.Other, "sofa surfing", Today));
        Assert.IsType<Unchanged>(Decide(other, Asked(LapseReason.Other, "sofa surfing")));
        Assert.IsType<Accepted>(Decide(other, Asked(LapseReason.Other, "staying with family out of area")));
    }

    [Fact]
    public void The_date_learnt_is_not_before_the_release() =>
        Rejects(
            Decide(Released(), Asked(LapseReason.MovedArea, learnedOn: ReleasedOn.PlusDays(-1))), "learnedOn",
            "learning why the window lapsed (2026-09-30) would be before the release (2026-10-01)");

    /// <summary>
    /// Every reason, on every day from before the release to well after, with and without a pickup, an exit or an
    /// earlier reason: accepted exactly when the outcome is not engaged, and as a correction exactly when a different
    /// reason was recorded.
    /// </summary>
    [Fact]
    public void Accepted_exactly_when_not_engaged_and_a_correction_exactly_when_the_reason_differs()
    {
        var pickups = new int?[] { null, 0, 10, 21, 22, 35 };
        var exits = new int?[] { null, 5, 21, 22 };
        var earlier = new LapseReason?[] { null, LapseReason.MovedArea };
        var checkedCount = 0;
        foreach (var pickup in pickups)
        foreach (var exit in exits)
        foreach (var before in earlier)
        foreach (var reason in Enum.GetValues<LapseReason>())
        for (var day = -1; day <= 45; day++)
        {
            var facts = Released();
            if (pickup is { } p && (exit is null || p <= exit))
            {
                facts = facts.Evolve(new CommunityTreatmentStarted(ReleasedOn.PlusDays(p)));
            }

            if (exit is { } x)
            {
                facts = facts.Evolve(new Deported(ReleasedOn.PlusDays(x)));
            }

            if (before is { } b)
            {
                facts = facts.Evolve(new LapseReasonRecorded(b, null, ReleasedOn));
            }

            var today = ReleasedOn.PlusDays(day);
            var text = reason == LapseReason.Other ? "other text" : null;
            var decision = Decide(facts, new RecordLapseReason(Id, reason, text, ReleasedOn), today);
            var notEngaged = ReleaseOutcomes.Classify(facts.Continuity!, today, Rules).Outcome
                == ReleaseOutcome.NotEngaged;
            var expected = !notEngaged ? typeof(Rejected)
                : before == reason ? typeof(Unchanged)
                : typeof(Accepted);
            Assert.True(
                expected == decision.GetType(), $"pickup {pickup}, exit {exit}, {before}->{reason}, day {day}");
            if (decision is Accepted { Event: var e })
            {
                Assert.IsType(before is null ? typeof(LapseReasonRecorded) : typeof(LapseReasonCorrected), e);
            }
            else if (decision is Rejected rejected)
            {
                Assert.Equal("reason", rejected.Field);
            }

            Assert.Equal(
                notEngaged && facts.WhyLapsed is null,
                RecordLapseReasonEndpoint.ReasonNeeded(facts, today, Rules));
            checkedCount++;
        }

        Assert.Equal(6 * 4 * 2 * 10 * 47, checkedCount);
    }

    [Fact]
    public void Erasure_masks_the_free_text_and_keeps_the_code()
    {
        var facts = Released()
            .Evolve(new LapseReasonRecorded(LapseReason.Other, "moved in with a friend", Today))
            .Evolve(new IdentifyingDataErased("DPO-1", Today));
        Assert.Equal(
            new LapseExplanation(LapseReason.Other, IdentifyingDataErased.Placeholder, Today), facts.WhyLapsed);
        var coded = Released().Evolve(new LapseReasonRecorded(LapseReason.MovedArea, null, Today));
        Assert.Same(coded, coded.Evolve(new IdentifyingDataErased("DPO-1", Today)));
    }

    [Theory]
    [InlineData(null, null, null, "reason", "is required")]
    [InlineData(LapseReason.Other, null, null, "text", "is required")]
    [InlineData(LapseReason.Other, " padded", null, "text", "leading or trailing spaces")]
    [InlineData(LapseReason.MovedArea, "Leeds", null, "text", "is only for the reason other")]
    [InlineData(LapseReason.MovedArea, null, "2026-11-24", "learnedOn", "is after today")]
    public void The_request_names_what_is_wrong(
        LapseReason? reason, string? text, string? learnedOn, string field, string message)
    {
        var request = new RecordLapseReasonRequest(
            reason, text, learnedOn is null ? null : NodaTime.Text.LocalDatePattern.Iso.Parse(learnedOn).Value);
        var errors = request.Errors(Today).ToDictionary();
        Assert.Contains(errors[field], m => m.Contains(message));
    }

    [Fact]
    public void Other_text_is_at_most_200_characters()
    {
        Assert.False(new RecordLapseReasonRequest(LapseReason.Other, new string('x', 200)).Errors(Today).Any);
        Assert.True(new RecordLapseReasonRequest(LapseReason.Other, new string('x', 201)).Errors(Today).Any);
        Assert.False(new RecordLapseReasonRequest(LapseReason.DidNotAttend).Errors(Today).Any);
    }
}
