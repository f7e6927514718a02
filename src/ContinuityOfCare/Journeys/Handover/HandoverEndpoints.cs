using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;
using Wolverine.Marten;

namespace ContinuityOfCare.Journeys.Handover;

public sealed record ReferToProviderRequest(LocalDate? ReferredOn, string? Provider) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) =>
        new ValidationErrors()
            .Also(e => e.PastDate("referredOn", ReferredOn, today))
            .Also(e => e.Code("provider", Provider));
}

public sealed record AcknowledgeHandoverRequest(LocalDate? FirstAppointmentOn = null, LocalDate? AcknowledgedOn = null)
    : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors()
        .Also(e =>
        {
            if (FirstAppointmentOn is not null) e.PlannedDate("firstAppointmentOn", FirstAppointmentOn, today);
        })
        .Also(e => { if (AcknowledgedOn is not null) e.PastDate("acknowledgedOn", AcknowledgedOn, today); });
}

public sealed record DeclineHandoverRequest(DeclineReason? Reason, LocalDate? DeclinedOn = null) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors()
        .Also(e => e.Required("reason", Reason))
        .Also(e => { if (DeclinedOn is not null) e.PastDate("declinedOn", DeclinedOn, today); });
}

public sealed record RedirectHandoverRequest(string? ToProvider, LocalDate? RedirectedOn = null) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors()
        .Also(e => e.Code("toProvider", ToProvider))
        .Also(e => { if (RedirectedOn is not null) e.PastDate("redirectedOn", RedirectedOn, today); });
}

public sealed record AppointmentRequest(LocalDate? AppointmentOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) =>
        new ValidationErrors().Also(e => e.PlannedDate("appointmentOn", AppointmentOn, today));
}

public sealed record MissedAppointmentRequest(LocalDate? AppointmentOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) =>
        new ValidationErrors().Also(e => e.PastDate("appointmentOn", AppointmentOn, today));
}

public sealed record MetAtGateRequest(LocalDate? MetOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) =>
        new ValidationErrors().Also(e => e.PastDate("metOn", MetOn, today));
}

public sealed record ReferToProvider(Guid JourneyId, ReferredToProvider Referral) : IJourneyCommand;

/// <summary>Dates are resolved before the command is sent: a date the caller left out is today's.</summary>
public sealed record AcknowledgeHandover(Guid JourneyId, LocalDate AcknowledgedOn, LocalDate? FirstAppointmentOn)
    : IJourneyCommand;

public sealed record DeclineHandover(Guid JourneyId, DeclineReason Reason, LocalDate DeclinedOn) : IJourneyCommand;

public sealed record RedirectHandover(Guid JourneyId, string ToProvider, LocalDate RedirectedOn) : IJourneyCommand;

public sealed record BookAppointment(Guid JourneyId, AppointmentBooked Booked) : IJourneyCommand;

public sealed record RecordMissedAppointment(Guid JourneyId, AppointmentMissed Missed) : IJourneyCommand;

public sealed record RecordMetAtGate(Guid JourneyId, MetAtGate Met) : IJourneyCommand;

public static class HandoverHandler
{
    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        ReferToProvider command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Prison,
            facts => HandoverEndpoints.DecideReferral(facts, command.Referral), cancellation);

    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        AcknowledgeHandover command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Provider,
            facts => HandoverEndpoints.DecideAcknowledgement(facts, command), cancellation);

    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        DeclineHandover command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Provider,
            facts => HandoverEndpoints.DecideDecline(facts, command), cancellation);

    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        RedirectHandover command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Either,
            facts => HandoverEndpoints.DecideRedirect(facts, command), cancellation);

    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        BookAppointment command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Provider,
            facts => HandoverEndpoints.DecideAppointment(facts, command.Booked), cancellation);

    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        RecordMissedAppointment command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Provider,
            facts => HandoverEndpoints.DecideMissedAppointment(facts, command.Missed), cancellation);

    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        RecordMetAtGate command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Either,
            facts => HandoverEndpoints.DecideMetAtGate(facts, command.Met), cancellation);
}

/// <summary>
/// The handover from the prison team to a community provider: referral, then the provider acknowledges, declines or
/// redirects it; appointments and meeting at the gate. Dates the caller leaves out are today's (Europe/London).
/// </summary>
public static class HandoverEndpoints
{
    [WolverinePost(
        "/api/v1/journeys/{journeyId}/referral",
        Summary = "Refer the person to a community treatment provider")]
    [RequestBody(typeof(ReferToProviderRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostReferral(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<ReferToProviderRequest>(request, bus, clock,
            (body, _) => new ReferToProvider(
                journeyId, new ReferredToProvider(body.ReferredOn!.Value, body.Provider!)),
            cancellation);

    [WolverinePost(
        "/api/v1/journeys/{journeyId}/handover-acknowledgement",
        Summary = "Acknowledge the handover (provider)")]
    [RequestBody(typeof(AcknowledgeHandoverRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostAcknowledgement(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<AcknowledgeHandoverRequest>(request, bus, clock,
            (body, today) => new AcknowledgeHandover(journeyId, body.AcknowledgedOn ?? today, body.FirstAppointmentOn),
            cancellation);

    [WolverinePost(
        "/api/v1/journeys/{journeyId}/handover-decline",
        Summary = "Decline the handover, with a reason (provider)")]
    [RequestBody(typeof(DeclineHandoverRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostDecline(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<DeclineHandoverRequest>(request, bus, clock,
            (body, today) => new DeclineHandover(journeyId, body.Reason!.Value, body.DeclinedOn ?? today),
            cancellation);

    [WolverinePost(
        "/api/v1/journeys/{journeyId}/handover-redirect",
        Summary = "Redirect the handover to another provider")]
    [RequestBody(typeof(RedirectHandoverRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostRedirect(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<RedirectHandoverRequest>(request, bus, clock,
            (body, today) => new RedirectHandover(journeyId, body.ToProvider!, body.RedirectedOn ?? today),
            cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/appointment", Summary = "Book an appointment")]
    [RequestBody(typeof(AppointmentRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostAppointment(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<AppointmentRequest>(request, bus, clock,
            (body, _) => new BookAppointment(journeyId, new AppointmentBooked(body.AppointmentOn!.Value)),
            cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/missed-appointment", Summary = "Record a missed appointment")]
    [RequestBody(typeof(MissedAppointmentRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostMissedAppointment(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<MissedAppointmentRequest>(request, bus, clock,
            (body, _) => new RecordMissedAppointment(journeyId, new AppointmentMissed(body.AppointmentOn!.Value)),
            cancellation);

    [WolverinePost(
        "/api/v1/journeys/{journeyId}/met-at-gate",
        Summary = "Record whether the person was met at the gate")]
    [RequestBody(typeof(MetAtGateRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostMetAtGate(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<MetAtGateRequest>(request, bus, clock,
            (body, _) => new RecordMetAtGate(journeyId, new MetAtGate(body.MetOn!.Value)), cancellation);

    public static Decision DecideReferral(JourneyFacts journey, ReferredToProvider referral)
    {
        if ((Decision.IfClosed(journey, "provider") ?? NotAfterPickup(journey, "provider")) is { } refused)
        {
            return refused;
        }

        return journey.Handover switch
        {
            { Status: not HandoverStatus.Declined } h when h.Provider == referral.Provider => Decision.Unchanged,
            { Status: not HandoverStatus.Declined } h => Decision.Reject(
                "provider", $"the journey is already handed over to {h.Provider}: redirect the handover instead"),
            _ when referral.ReferredOn < journey.CustodyTreatmentStartedOn => Decision.Reject(
                "referredOn", $"is before custody treatment started ({journey.CustodyTreatmentStartedOn.Iso()})"),
            _ => Decision.Accept(referral),
        };
    }

    public static Decision DecideAcknowledgement(JourneyFacts journey, AcknowledgeHandover request)
    {
        if (Decision.IfClosed(journey, "acknowledgedOn") is { } closed)
        {
            return closed;
        }

        return journey.Handover switch
        {
            null => Decision.Reject(
                "acknowledgedOn",
                "there is no handover to acknowledge: the journey has not been referred to a provider"),
            { Status: HandoverStatus.Declined } h => Decision.Reject(
                "acknowledgedOn", $"{h.Provider} declined the handover; the prison team must refer again"),
            { Status: HandoverStatus.Acknowledged } h => h.FirstAppointmentOn == request.FirstAppointmentOn
                ? Decision.Unchanged
                : Decision.Reject(
                    "firstAppointmentOn",
                    $"{h.Provider} already acknowledged the handover on {h.Since.Iso()}; " +
                    "book the appointment instead"),
            { } h => NotBefore(h, request.AcknowledgedOn, "acknowledgedOn", h.Since)
                ?? NotBefore(h, request.FirstAppointmentOn, "firstAppointmentOn", h.HandedOverOn)
                ?? Decision.Accept(
                    new HandoverAcknowledged(h.Provider, request.AcknowledgedOn, request.FirstAppointmentOn)),
        };
    }

    public static Decision DecideDecline(JourneyFacts journey, DeclineHandover request)
    {
        if ((Decision.IfClosed(journey, "reason") ?? NotAfterPickup(journey, "reason")) is { } refused)
        {
            return refused;
        }

        return journey.Handover switch
        {
            null => Decision.Reject(
                "reason", "there is no handover to decline: the journey has not been referred to a provider"),
            { Status: HandoverStatus.Declined } h when h.DeclineReason == request.Reason => Decision.Unchanged,
            { Status: HandoverStatus.Declined } h => Decision.Reject(
                "reason", $"{h.Provider} already declined the handover"),
            { Status: HandoverStatus.Acknowledged } h => Decision.Reject(
                "reason", $"{h.Provider} already acknowledged the handover; redirect it to another provider instead"),
            { } h => NotBefore(h, request.DeclinedOn, "declinedOn", h.Since)
                ?? Decision.Accept(new HandoverDeclined(h.Provider, request.DeclinedOn, request.Reason)),
        };
    }

    public static Decision DecideRedirect(JourneyFacts journey, RedirectHandover request)
    {
        if ((Decision.IfClosed(journey, "toProvider") ?? NotAfterPickup(journey, "toProvider")) is { } refused)
        {
            return refused;
        }

        return journey.Handover switch
        {
            null or { Status: HandoverStatus.Declined } => Decision.Reject(
                "toProvider", "there is no open handover to redirect: refer the journey instead"),
            { } h when h.Provider == request.ToProvider => h.Status == HandoverStatus.AwaitingAcknowledgement
                ? Decision.Unchanged
                : Decision.Reject("toProvider", $"the handover is already with {h.Provider}"),
            { } h => NotBefore(h, request.RedirectedOn, "redirectedOn", h.Since)
                ?? Decision.Accept(new HandoverRedirected(h.Provider, request.ToProvider, request.RedirectedOn)),
        };
    }

    public static Decision DecideAppointment(JourneyFacts journey, AppointmentBooked booked)
    {
        if (Decision.IfClosed(journey, "appointmentOn") is { } closed)
        {
            return closed;
        }

        if (journey.Handover is not { Status: HandoverStatus.Acknowledged } handover)
        {
            return Decision.Reject("appointmentOn", "the handover has not been acknowledged by a provider");
        }

        return journey.AppointmentsBooked.Contains(booked.AppointmentOn)
            ? Decision.Unchanged
            : NotBefore(handover, booked.AppointmentOn, "appointmentOn", handover.HandedOverOn)
                ?? Decision.Accept(booked);
    }

    public static Decision DecideMissedAppointment(JourneyFacts journey, AppointmentMissed missed)
    {
        if (journey.Release is not { } release)
        {
            return Decision.Reject("appointmentOn", "the journey has no release yet");
        }

        if (missed.AppointmentOn < release.ReleasedOn)
        {
            return Decision.Reject("appointmentOn", $"is before the release on {release.ReleasedOn.Iso()}");
        }

        return journey.AppointmentsMissed.Contains(missed.AppointmentOn)
            ? Decision.Unchanged
            : Decision.Accept(missed);
    }

    public static Decision DecideMetAtGate(JourneyFacts journey, MetAtGate met)
    {
        if (journey.Release is null)
        {
            return Decision.Reject("metOn", "the journey has no release yet: record the release first");
        }

        return journey.MetAtGateOn switch
        {
            { } earlier when earlier == met.MetOn => Decision.Unchanged,
            { } earlier => Decision.Reject("metOn", $"meeting at the gate is already recorded on {earlier.Iso()}"),
            _ => Decision.AcceptIfConsistent(journey, met, "metOn"),
        };
    }

    /// <summary>
    /// A step of the handover dated before the handover (or its last step) is refused, naming the field.
    /// </summary>
    private static Decision? NotBefore(HandoverState handover, LocalDate? date, string field, LocalDate since) =>
        date < since
            ? Decision.Reject(field, $"is before the handover to {handover.Provider} on {since.Iso()}")
            : null;

    /// <summary>
    /// Once community treatment has started the handover has done its job; changing it would rewrite history.
    /// </summary>
    private static Decision? NotAfterPickup(JourneyFacts journey, string field) =>
        journey.CommunityTreatmentStartedOn is { } started
            ? Decision.Reject(
                field, $"community treatment already started on {started.Iso()}: the handover is complete")
            : null;
}
