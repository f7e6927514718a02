using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;
using Wolverine.Marten;

namespace ContinuityOfCare.Journeys.ReleasePlanning;

public sealed record ScheduleReleaseRequest(LocalDate? ReleaseOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) =>
        new ValidationErrors().Also(e => e.PlannedDate("releaseOn", ReleaseOn, today));
}

public sealed record RecordTransferRequest(LocalDate? TransferredOn, string? ToPrisonCode) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) =>
        new ValidationErrors()
            .Also(e => e.PastDate("transferredOn", TransferredOn, today))
            .Also(e => e.Code("toPrisonCode", ToPrisonCode));
}

public sealed record ScheduleRelease(Guid JourneyId, ReleaseScheduled Scheduled) : IJourneyCommand;

/// <summary>A move to another prison; where from is the journey's current prison.</summary>
public sealed record RecordTransfer(Guid JourneyId, LocalDate TransferredOn, string ToPrisonCode) : IJourneyCommand;

public static class ReleasePlanningHandler
{
    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        ScheduleRelease command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Prison,
            facts => ReleasePlanningEndpoints.DecideSchedule(facts, command.Scheduled), cancellation);

    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        RecordTransfer command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Prison,
            facts => ReleasePlanningEndpoints.DecideTransfer(
                facts, new TransferredBetweenPrisons(command.TransferredOn, facts.PrisonCode, command.ToPrisonCode)),
            cancellation);
}

/// <summary>The prison team's plans before release: when it is expected, and moves between prisons.</summary>
public static class ReleasePlanningEndpoints
{
    [WolverinePost(
        "/api/v1/journeys/{journeyId}/release-schedule",
        Summary = "Schedule the release, or change its expected date")]
    [RequestBody(typeof(ScheduleReleaseRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostSchedule(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<ScheduleReleaseRequest>(request, bus, clock,
            (body, _) => new ScheduleRelease(journeyId, new ReleaseScheduled(body.ReleaseOn!.Value)), cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/transfer", Summary = "Record a transfer to another prison")]
    [RequestBody(typeof(RecordTransferRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostTransfer(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<RecordTransferRequest>(request, bus, clock,
            (body, _) => new RecordTransfer(journeyId, body.TransferredOn!.Value, body.ToPrisonCode!), cancellation);

    public static Decision DecideSchedule(JourneyFacts journey, ReleaseScheduled scheduled)
    {
        if (journey.Release is { } release)
        {
            return Decision.Reject("releaseOn", $"the journey was already released on {release.ReleasedOn.Iso()}");
        }

        if (Decision.IfClosed(journey, "releaseOn") is { } closed)
        {
            return closed;
        }

        if (journey.ReleaseScheduledOn == scheduled.ReleaseOn)
        {
            return Decision.Unchanged;
        }

        return scheduled.ReleaseOn < journey.CustodyTreatmentStartedOn
            ? Decision.Reject(
                "releaseOn", $"is before custody treatment started ({journey.CustodyTreatmentStartedOn.Iso()})")
            : Decision.Accept(scheduled);
    }

    public static Decision DecideTransfer(JourneyFacts journey, TransferredBetweenPrisons transfer)
    {
        if (journey.Release is { } release)
        {
            return Decision.Reject(
                "toPrisonCode",
                $"the journey was released on {release.ReleasedOn.Iso()}: a transfer moves someone still in custody");
        }

        if (Decision.IfClosed(journey, "toPrisonCode") is { } closed)
        {
            return closed;
        }

        if (transfer.ToPrisonCode == journey.PrisonCode)
        {
            return journey.LastTransferredOn == transfer.TransferredOn
                ? Decision.Unchanged
                : Decision.Reject("toPrisonCode", $"the person is already in {journey.PrisonCode}");
        }

        if (transfer.TransferredOn < journey.CustodyTreatmentStartedOn
            || transfer.TransferredOn < journey.LastTransferredOn)
        {
            return Decision.Reject(
                "transferredOn", "is before the journey's custody treatment start or its last transfer");
        }

        return Decision.Accept(transfer);
    }
}
