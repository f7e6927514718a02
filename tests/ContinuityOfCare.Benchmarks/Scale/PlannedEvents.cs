using System.Text.Json;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Corrections;
using ContinuityOfCare.Journeys.Exits;
using ContinuityOfCare.Journeys.Handover;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Journeys.ReleasePlanning;
using ContinuityOfCare.Journeys.TreatmentEnd;
using ContinuityOfCare.Journeys.TreatmentStart;
using ContinuityOfCare.Journeys.WindowClose;
using ContinuityOfCare.Samples;
using NodaTime;

namespace ContinuityOfCare.Benchmarks.Scale;

/// <summary>
/// A planned journey as the events the service would have appended for it: each step's body is read as its request
/// (the API's JSON), turned into its command, and decided by the step's own rule on the facts so far, on the day it
/// is recorded. What a rule refuses or finds unchanged is not appended, as over HTTP.
/// </summary>
public static class PlannedEvents
{
    public static PlannedJourney Of(JourneyPlan plan, LocalDate today, ContinuityRules rules)
    {
        var events = new List<IJourneyEvent>();
        JourneyFacts? facts = null;
        var refused = 0;
        foreach (var step in plan.Steps.OrderBy(s => s.RecordedOn).ThenBy(s => s.Order))
        {
            var decision = facts is null
                ? Decision.Accept(Read<RegisterJourneyRequest>(step).Opened())
                : Decide(facts, step, rules);
            decision.Match(
                accepted: e =>
                {
                    events.Add(e);
                    facts = JourneyFacts.Fold(facts, e);
                    return 0;
                },
                unchanged: () => 0,
                rejected: (_, _) => refused++);
        }

        // The window-close check the release scheduled (not scheduled here: nothing went through Wolverine) would
        // have marked a window that closed without a pickup; it runs last, as if it ran after the last step.
        if (facts?.Continuity is { } continuity
            && ReleaseOutcomes.Classify(continuity, today, rules).Outcome == ReleaseOutcome.NotEngaged)
        {
            events.Add(new ContinuityWindowLapsed(rules.Window.LastDay(continuity.ReleasedOn)));
        }

        return new PlannedJourney(plan, events, refused);
    }

    private static Decision Decide(JourneyFacts facts, PlannedStep step, ContinuityRules rules)
    {
        var on = step.RecordedOn; // a date the request leaves out is the day it is recorded
        var id = Guid.Empty; // commands carry a journey id the rules never read
        switch (step.Action)
        {
            case "release-schedule":
                return ReleasePlanningEndpoints.DecideSchedule(
                    facts, new ReleaseScheduled(Read<ScheduleReleaseRequest>(step).ReleaseOn!.Value));
            case "referral":
                var referral = Read<ReferToProviderRequest>(step);
                return HandoverEndpoints.DecideReferral(
                    facts, new ReferredToProvider(referral.ReferredOn ?? on, referral.Provider!));
            case "release":
                return RecordReleaseEndpoint.Decide(facts, Read<RecordReleaseRequest>(step).ToCommand(id).Released);
            case "handover-acknowledgement":
                var acknowledgement = Read<AcknowledgeHandoverRequest>(step);
                return HandoverEndpoints.DecideAcknowledgement(facts, new AcknowledgeHandover(
                    id, acknowledgement.AcknowledgedOn ?? on, acknowledgement.FirstAppointmentOn));
            case "handover-redirect":
                var redirect = Read<RedirectHandoverRequest>(step);
                return HandoverEndpoints.DecideRedirect(
                    facts, new RedirectHandover(id, redirect.ToProvider!, redirect.RedirectedOn ?? on));
            case "community-treatment-start":
                return RecordTreatmentStartEndpoint.Decide(
                    facts, new CommunityTreatmentStarted(Read<RecordTreatmentStartRequest>(step).StartedOn!.Value));
            case "treatment-end":
                var end = Read<RecordTreatmentEndRequest>(step);
                return RecordTreatmentEndEndpoint.Decide(
                    facts, new TreatmentEnded(end.EndedOn!.Value, end.Reason!.Value));
            case "death":
                return ExitEndpoints.DecideDeath(facts, new Died(Read<RecordDeathRequest>(step).DiedOn!.Value));
            case "deportation":
                return ExitEndpoints.DecideDeportation(
                    facts, new Deported(Read<RecordDeportationRequest>(step).DeportedOn!.Value));
            case "return-to-custody":
                var returned = Read<RecordReturnToCustodyRequest>(step);
                return ExitEndpoints.DecideReturnToCustody(
                    facts, new ReturnedToCustody(returned.ReturnedOn!.Value, returned.Reason!.Value));
            case "corrections":
                var correction = Read<CorrectDateRequest>(step);
                return CorrectDateEndpoint.Decide(facts, new CorrectDate(
                    id, correction.Fact!.Value, correction.CorrectedOn!.Value, correction.Reason!));
            case "lapse-reason":
                var lapse = Read<RecordLapseReasonRequest>(step);
                var reason = new RecordLapseReason(id, lapse.Reason!.Value, lapse.Text, lapse.LearnedOn ?? on);
                return RecordLapseReasonEndpoint.Decide(facts, reason, on, rules);
            default:
                throw new InvalidOperationException($"no event for the planned step '{step.Action}'");
        }
    }

    private static JourneyOpened Opened(this RegisterJourneyRequest r) => new(
        r.JourneyRef!, r.PersonRef!, r.PrisonCode!, r.Sex!.Value, r.BirthYear, r.SubstanceGroup!.Value,
        r.CustodyTreatmentStartedOn!.Value, r.EntryPoint);

    /// <summary>The body as the service reads it: the contract's JSON, strictly.</summary>
    private static T Read<T>(PlannedStep step) =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(step.Body, ApiJson.Options), ApiJson.Options)
        ?? throw new InvalidOperationException($"empty body for '{step.Action}'");
}

/// <summary>A plan and the events it comes to; <see cref="Refused"/> counts steps a rule refused (expect 0).</summary>
public sealed record PlannedJourney(JourneyPlan Plan, IReadOnlyList<IJourneyEvent> Events, int Refused);
