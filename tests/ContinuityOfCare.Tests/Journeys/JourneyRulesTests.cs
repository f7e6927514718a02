using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Corrections;
using ContinuityOfCare.Journeys.Exits;
using ContinuityOfCare.Journeys.Handover;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Journeys.ReleasePlanning;
using ContinuityOfCare.Journeys.TreatmentEnd;
using ContinuityOfCare.Journeys.TreatmentStart;
using NodaTime;

namespace ContinuityOfCare.Tests.Journeys;

/// <summary>The pathway's rules, as pure decisions on folded facts: what each state allows, and why not.</summary>
public class JourneyRulesTests
{
    private static readonly LocalDate CustodyStart = new(2026, 5, 2);
    private static readonly LocalDate ReleasedOn = new(2026, 10, 25);
    private static readonly LocalDate Today = new(2026, 11, 23);
    private static readonly Guid Id = Guid.Parse("0190a000-0000-7000-8000-000000000001");

    private static JourneyFacts InCustody() =>
        JourneyFacts.Open(
            new JourneyOpened("J-1", "P-1", "LEI", Sex.Female, 1990, SubstanceGroup.Alcohol, CustodyStart));

    private static ReleasedFromCustody Release(LocalDate on, string provider = "FORWARD-LEEDS") =>
        new(on, ReleaseType.Licence, "E08000035", provider, null, true, null);

    private static JourneyFacts Released() => InCustody().Evolve(Release(ReleasedOn));

    private static JourneyFacts PickedUp(int day = 3) =>
        Released().Evolve(new CommunityTreatmentStarted(ReleasedOn.PlusDays(day)));

    private static Rejected Rejects(Decision decision, string field, string reason)
    {
        var rejected = Assert.IsType<Rejected>(decision);
        Assert.Equal(field, rejected.Field);
        Assert.Contains(reason, rejected.Reason);
        return rejected;
    }

    [Fact]
    public void A_journey_in_custody_can_be_released()
    {
        var release = Release(ReleasedOn);
        Assert.Equal(Decision.Accept(release), RecordReleaseEndpoint.Decide(InCustody(), release));
    }

    [Fact]
    public void A_release_on_the_day_custody_treatment_started_is_allowed() =>
        Assert.IsType<Accepted>(RecordReleaseEndpoint.Decide(InCustody(), Release(CustodyStart)));

    [Fact]
    public void A_journey_cannot_be_released_twice() =>
        Rejects(
            RecordReleaseEndpoint.Decide(Released(), Release(ReleasedOn.PlusDays(3))), "releasedOn",
            "already released on 2026-10-25");

    [Fact]
    public void The_same_release_again_is_already_recorded() =>
        Assert.IsType<Unchanged>(RecordReleaseEndpoint.Decide(Released(), Release(ReleasedOn)));

    [Fact]
    public void A_release_cannot_precede_custody_treatment() =>
        Rejects(
            RecordReleaseEndpoint.Decide(InCustody(), Release(CustodyStart.PlusDays(-1))), "releasedOn",
            "before custody treatment start");

    [Fact]
    public void A_dead_person_is_not_released() =>
        Rejects(
            RecordReleaseEndpoint.Decide(InCustody().Evolve(new Died(ReleasedOn)), Release(ReleasedOn)), "releasedOn",
            "died on 2026-10-25");

    [Fact]
    public void Community_treatment_cannot_start_before_any_release() =>
        Rejects(
            RecordTreatmentStartEndpoint.Decide(InCustody(), new CommunityTreatmentStarted(ReleasedOn)), "startedOn",
            "no release");

    [Fact]
    public void Community_treatment_cannot_start_before_the_release_date() =>
        Rejects(
            RecordTreatmentStartEndpoint.Decide(Released(), new CommunityTreatmentStarted(ReleasedOn.PlusDays(-1))),
            "startedOn", "before the release (2026-10-25)");

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    [InlineData(90)] // late pickups are still recorded: they are counted as engaged late
    public void Community_treatment_can_start_on_or_after_the_release_date(int day)
    {
        var started = new CommunityTreatmentStarted(ReleasedOn.PlusDays(day));
        Assert.Equal(Decision.Accept(started), RecordTreatmentStartEndpoint.Decide(Released(), started));
    }

    [Fact]
    public void Community_treatment_starts_once()
    {
        Rejects(
            RecordTreatmentStartEndpoint.Decide(PickedUp(3), new CommunityTreatmentStarted(ReleasedOn.PlusDays(5))),
            "startedOn", "already started on 2026-10-28");
        Assert.IsType<Unchanged>(
            RecordTreatmentStartEndpoint.Decide(PickedUp(3), new CommunityTreatmentStarted(ReleasedOn.PlusDays(3))));
    }

    [Fact]
    public void A_pickup_after_a_recorded_death_is_refused_but_a_backdated_one_before_it_is_not()
    {
        var died = Released().Evolve(new Died(ReleasedOn.PlusDays(10)));
        Rejects(
            RecordTreatmentStartEndpoint.Decide(died, new CommunityTreatmentStarted(ReleasedOn.PlusDays(12))),
            "startedOn", "the death (2026-11-04) would be before");
        Assert.IsType<Accepted>(
            RecordTreatmentStartEndpoint.Decide(died, new CommunityTreatmentStarted(ReleasedOn.PlusDays(5))));
    }

    [Fact]
    public void The_stage_follows_the_events()
    {
        var journey = InCustody();
        Assert.Equal(JourneyStage.InCustody, journey.Stage);
        journey = journey.Evolve(Release(ReleasedOn));
        Assert.Equal(JourneyStage.Released, journey.Stage);
        journey = journey.Evolve(new CommunityTreatmentStarted(ReleasedOn.PlusDays(2)));
        Assert.Equal(JourneyStage.InCommunityTreatment, journey.Stage);
        journey = journey.Evolve(new TreatmentEnded(ReleasedOn.PlusDays(40), TreatmentEndReason.DroppedOut));
        Assert.Equal(JourneyStage.TreatmentEnded, journey.Stage);
        journey = journey.Evolve(new ReturnedToCustody(ReleasedOn.PlusDays(50), ReturnToCustodyReason.Recall));
        Assert.Equal(JourneyStage.ReturnedToCustody, journey.Stage);
        Assert.True(journey.IsClosed);
        Assert.Equal(JourneyStage.Died, journey.Evolve(new Died(ReleasedOn.PlusDays(60))).Stage);
    }

    [Fact]
    public void A_release_can_be_scheduled_and_rescheduled_only_while_in_custody()
    {
        var scheduled = InCustody().Evolve(new ReleaseScheduled(Today.PlusDays(7)));
        Assert.IsType<Accepted>(
            ReleasePlanningEndpoints.DecideSchedule(scheduled, new ReleaseScheduled(Today.PlusDays(9))));
        Assert.IsType<Unchanged>(
            ReleasePlanningEndpoints.DecideSchedule(scheduled, new ReleaseScheduled(Today.PlusDays(7))));
        Rejects(
            ReleasePlanningEndpoints.DecideSchedule(Released(), new ReleaseScheduled(Today.PlusDays(7))), "releaseOn",
            "already released");
    }

    [Fact]
    public void A_transfer_moves_the_journey_to_the_new_prison_and_is_not_a_release()
    {
        var transfer = new TransferredBetweenPrisons(ReleasedOn.PlusDays(-30), "LEI", "HMP-WYK");
        Assert.IsType<Accepted>(ReleasePlanningEndpoints.DecideTransfer(InCustody(), transfer));
        var moved = InCustody().Evolve(transfer);
        Assert.Equal("HMP-WYK", moved.PrisonCode);
        Assert.Null(moved.Release);
        Rejects(
            ReleasePlanningEndpoints.DecideTransfer(moved, transfer with { TransferredOn = ReleasedOn.PlusDays(-20) }),
            "toPrisonCode", "already in HMP-WYK");
        Rejects(
            ReleasePlanningEndpoints.DecideTransfer(Released(), transfer), "toPrisonCode", "released on 2026-10-25");
        Rejects(
            RecordReleaseEndpoint.Decide(moved, Release(ReleasedOn.PlusDays(-31))), "releasedOn",
            "before the last transfer");
    }

    [Fact]
    public void A_referral_awaits_acknowledgement_and_a_second_provider_needs_a_redirect()
    {
        var referred = InCustody().Evolve(new ReferredToProvider(Today.PlusDays(-3), "FORWARD-LEEDS"));
        Assert.Equal(
            new HandoverState("FORWARD-LEEDS", HandoverStatus.AwaitingAcknowledgement, Today.PlusDays(-3)),
            referred.Handover);
        Assert.IsType<Unchanged>(
            HandoverEndpoints.DecideReferral(referred, new ReferredToProvider(Today, "FORWARD-LEEDS")));
        Rejects(
            HandoverEndpoints.DecideReferral(referred, new ReferredToProvider(Today, "CGL-WAKEFIELD")), "provider",
            "redirect the handover instead");
    }

    [Fact]
    public void A_handover_is_acknowledged_or_declined_once()
    {
        var referred = InCustody().Evolve(new ReferredToProvider(Today.PlusDays(-3), "FORWARD-LEEDS"));
        var ack = Assert.IsType<Accepted>(
            HandoverEndpoints.DecideAcknowledgement(referred, new AcknowledgeHandover(Id, Today, Today.PlusDays(4))));
        Assert.Equal(new HandoverAcknowledged("FORWARD-LEEDS", Today, Today.PlusDays(4)), ack.Event);

        var acknowledged = referred.Evolve(ack.Event);
        Assert.IsType<Unchanged>(HandoverEndpoints.DecideAcknowledgement(
            acknowledged, new AcknowledgeHandover(Id, Today, Today.PlusDays(4))));
        Rejects(
            HandoverEndpoints.DecideAcknowledgement(
                acknowledged, new AcknowledgeHandover(Id, Today, Today.PlusDays(6))),
            "firstAppointmentOn", "already acknowledged");
        Rejects(
            HandoverEndpoints.DecideDecline(acknowledged, new DeclineHandover(Id, DeclineReason.WrongArea, Today)),
            "reason", "redirect it");

        var declined = referred.Evolve(new HandoverDeclined("FORWARD-LEEDS", Today, DeclineReason.WrongArea));
        Rejects(
            HandoverEndpoints.DecideAcknowledgement(declined, new AcknowledgeHandover(Id, Today, null)),
            "acknowledgedOn", "declined");
        Assert.IsType<Accepted>(
            HandoverEndpoints.DecideReferral(declined, new ReferredToProvider(Today, "CGL-WAKEFIELD")));
        Rejects(
            HandoverEndpoints.DecideAcknowledgement(InCustody(), new AcknowledgeHandover(Id, Today, null)),
            "acknowledgedOn", "not been referred");
    }

    [Fact]
    public void A_redirect_hands_over_to_another_provider_afresh_until_pickup()
    {
        var acknowledged = Released().Evolve(new HandoverAcknowledged("FORWARD-LEEDS", Today, null));
        var redirect = Assert.IsType<Accepted>(
            HandoverEndpoints.DecideRedirect(acknowledged, new RedirectHandover(Id, "CGL-WAKEFIELD", Today)));
        var redirected = acknowledged.Evolve(redirect.Event);
        Assert.Equal("CGL-WAKEFIELD", redirected.Provider);
        Assert.Equal(HandoverStatus.AwaitingAcknowledgement, redirected.Handover!.Status);
        Rejects(
            HandoverEndpoints.DecideRedirect(PickedUp(), new RedirectHandover(Id, "CGL-WAKEFIELD", Today)),
            "toProvider", "handover is complete");
    }

    [Fact]
    public void Naming_a_provider_at_release_hands_over_to_it()
    {
        Assert.Equal(
            new HandoverState("FORWARD-LEEDS", HandoverStatus.AwaitingAcknowledgement, ReleasedOn),
            Released().Handover);

        var acknowledged = InCustody()
            .Evolve(new ReferredToProvider(ReleasedOn.PlusDays(-10), "FORWARD-LEEDS"))
            .Evolve(new HandoverAcknowledged("FORWARD-LEEDS", ReleasedOn.PlusDays(-9), null));
        Assert.Equal(HandoverStatus.Acknowledged, acknowledged.Evolve(Release(ReleasedOn)).Handover!.Status);
        Assert.Equal("CGL-WAKEFIELD", acknowledged.Evolve(Release(ReleasedOn, "CGL-WAKEFIELD")).Provider);
    }

    [Fact]
    public void Appointments_need_an_acknowledged_handover_and_missed_ones_a_release()
    {
        Rejects(
            HandoverEndpoints.DecideAppointment(Released(), new AppointmentBooked(Today)), "appointmentOn",
            "not been acknowledged");
        var acknowledged = Released().Evolve(new HandoverAcknowledged("FORWARD-LEEDS", Today, null));
        Assert.IsType<Accepted>(
            HandoverEndpoints.DecideAppointment(acknowledged, new AppointmentBooked(Today.PlusDays(2))));
        Rejects(
            HandoverEndpoints.DecideMissedAppointment(InCustody(), new AppointmentMissed(Today)), "appointmentOn",
            "no release");
        Assert.IsType<Accepted>(HandoverEndpoints.DecideMissedAppointment(Released(), new AppointmentMissed(Today)));
        Assert.IsType<Unchanged>(HandoverEndpoints.DecideMissedAppointment(
            Released().Evolve(new AppointmentMissed(Today)), new AppointmentMissed(Today)));
    }

    [Fact]
    public void Meeting_at_the_gate_counts_for_the_met_at_gate_breakdown()
    {
        Rejects(HandoverEndpoints.DecideMetAtGate(InCustody(), new MetAtGate(ReleasedOn)), "metOn", "no release");
        Assert.False(Released().MetAtGate);
        Assert.True(Released().Evolve(new MetAtGate(ReleasedOn)).MetAtGate);
        Rejects(
            HandoverEndpoints.DecideMetAtGate(Released(), new MetAtGate(ReleasedOn.PlusDays(-1))), "metOn",
            "before the release");
    }

    [Fact]
    public void Treatment_ends_once_and_only_after_it_started()
    {
        var ended = new TreatmentEnded(ReleasedOn.PlusDays(30), TreatmentEndReason.Completed);
        Rejects(RecordTreatmentEndEndpoint.Decide(Released(), ended), "endedOn", "has not started");
        Assert.IsType<Accepted>(RecordTreatmentEndEndpoint.Decide(PickedUp(), ended));
        Rejects(
            RecordTreatmentEndEndpoint.Decide(PickedUp(), ended with { EndedOn = ReleasedOn }), "endedOn",
            "before the community treatment start");
        Rejects(
            RecordTreatmentEndEndpoint.Decide(
                PickedUp().Evolve(ended), ended with { Reason = TreatmentEndReason.DroppedOut }),
            "endedOn", "already ended");
    }

    [Fact]
    public void A_return_to_custody_needs_a_release_and_closes_the_journey()
    {
        var returned = new ReturnedToCustody(ReleasedOn.PlusDays(5), ReturnToCustodyReason.Recall);
        Rejects(ExitEndpoints.DecideReturnToCustody(InCustody(), returned), "returnedOn", "still in custody");
        var back = Released().Evolve(returned);
        Assert.IsType<Unchanged>(ExitEndpoints.DecideReturnToCustody(back, returned));
        Rejects(
            HandoverEndpoints.DecideReferral(back, new ReferredToProvider(Today, "CGL-WAKEFIELD")), "provider",
            "open a new journey");
        Rejects(ExitEndpoints.DecideDeportation(back, new Deported(Today)), "deportedOn", "journey is closed");
        Rejects(
            ExitEndpoints.DecideReturnToCustody(Released(), returned with { ReturnedOn = ReleasedOn.PlusDays(-1) }),
            "returnedOn", "before the release");
    }

    [Fact]
    public void A_death_is_recorded_once_and_not_before_the_journey_began()
    {
        Assert.IsType<Accepted>(ExitEndpoints.DecideDeath(Released(), new Died(ReleasedOn.PlusDays(4))));
        Rejects(
            ExitEndpoints.DecideDeath(InCustody(), new Died(CustodyStart.PlusDays(-1))), "diedOn",
            "before custody treatment start");
        Rejects(
            ExitEndpoints.DecideDeath(PickedUp(6), new Died(ReleasedOn.PlusDays(4))), "diedOn",
            "would be before the community treatment start");
        var died = Released().Evolve(new Died(ReleasedOn.PlusDays(4)));
        Assert.IsType<Unchanged>(ExitEndpoints.DecideDeath(died, new Died(ReleasedOn.PlusDays(4))));
        Rejects(
            ExitEndpoints.DecideDeath(died, new Died(ReleasedOn.PlusDays(5))), "diedOn", "correct the date instead");
    }

    [Fact]
    public void A_correction_changes_the_date_and_keeps_the_dates_consistent()
    {
        var correction = CorrectDateEndpoint.Decide(
            PickedUp(3), new CorrectDate(Id, CorrectableDate.Release, ReleasedOn.PlusDays(1), "typo"));
        var corrected = Assert.IsType<DateCorrected>(Assert.IsType<Accepted>(correction).Event);
        Assert.Equal(
            new DateCorrected(CorrectableDate.Release, ReleasedOn, ReleasedOn.PlusDays(1), "typo"), corrected);
        Assert.Equal(ReleasedOn.PlusDays(1), PickedUp(3).Evolve(corrected).Release!.ReleasedOn);

        Rejects(
            CorrectDateEndpoint.Decide(
                PickedUp(3), new CorrectDate(Id, CorrectableDate.Release, ReleasedOn.PlusDays(4), "typo")),
            "correctedOn", "would be before the release");
        Rejects(
            CorrectDateEndpoint.Decide(Released(), new CorrectDate(Id, CorrectableDate.Death, Today, "typo")), "fact",
            "no death date");
        Assert.IsType<Unchanged>(
            CorrectDateEndpoint.Decide(Released(), new CorrectDate(Id, CorrectableDate.Release, ReleasedOn, "typo")));
    }

    [Fact]
    public void Every_correctable_date_can_be_corrected_by_the_fold()
    {
        var full = PickedUp(3)
            .Evolve(new TreatmentEnded(ReleasedOn.PlusDays(30), TreatmentEndReason.DroppedOut))
            .Evolve(new ReturnedToCustody(ReleasedOn.PlusDays(40), ReturnToCustodyReason.Remand))
            .Evolve(new Deported(ReleasedOn.PlusDays(50)))
            .Evolve(new Died(ReleasedOn.PlusDays(60)));
        foreach (var fact in Enum.GetValues<CorrectableDate>())
        {
            var was = full.DateOf(fact)!.Value;
            var corrected = full.Evolve(new DateCorrected(fact, was, was.PlusDays(-1), "typo"));
            Assert.Equal(was.PlusDays(-1), corrected.DateOf(fact));
        }
    }
}
