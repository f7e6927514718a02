using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;
using Wolverine.Marten;

namespace ContinuityOfCare.Journeys.Exits;

public sealed record RecordDeathRequest(LocalDate? DiedOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) =>
        new ValidationErrors().Also(e => e.PastDate("diedOn", DiedOn, today));
}

public sealed record RecordDeportationRequest(LocalDate? DeportedOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) =>
        new ValidationErrors().Also(e => e.PastDate("deportedOn", DeportedOn, today));
}

public sealed record RecordReturnToCustodyRequest(LocalDate? ReturnedOn, ReturnToCustodyReason? Reason)
    : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) =>
        new ValidationErrors()
            .Also(e => e.PastDate("returnedOn", ReturnedOn, today))
            .Also(e => e.Required("reason", Reason));
}

public sealed record RecordDeath(Guid JourneyId, Died Died) : IJourneyCommand;

public sealed record RecordDeportation(Guid JourneyId, Deported Deported) : IJourneyCommand;

public sealed record RecordReturnToCustody(Guid JourneyId, ReturnedToCustody Returned) : IJourneyCommand;

/// <summary>Either side records an exit; the journey's rules decide.</summary>
public static class ExitHandler
{
    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        RecordDeath command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Either,
            facts => ExitEndpoints.DecideDeath(facts, command.Died), cancellation);

    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        RecordDeportation command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Either,
            facts => ExitEndpoints.DecideDeportation(facts, command.Deported), cancellation);

    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        RecordReturnToCustody command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Either,
            facts => ExitEndpoints.DecideReturnToCustody(facts, command.Returned), cancellation);
}

/// <summary>
/// Exits from the pathway, recorded by either side. Before a pickup and inside the window they exclude the journey
/// from the rate (each rule configurable); they also close the journey to everything but corrections.
/// </summary>
public static class ExitEndpoints
{
    [WolverinePost("/api/v1/journeys/{journeyId}/death", Summary = "Record a death")]
    [RequestBody(typeof(RecordDeathRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostDeath(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<RecordDeathRequest>(request, bus, clock,
            (body, _) => new RecordDeath(journeyId, new Died(body.DiedOn!.Value)), cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/deportation", Summary = "Record a deportation")]
    [RequestBody(typeof(RecordDeportationRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostDeportation(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<RecordDeportationRequest>(request, bus, clock,
            (body, _) => new RecordDeportation(journeyId, new Deported(body.DeportedOn!.Value)), cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/return-to-custody", Summary = "Record a return to custody")]
    [RequestBody(typeof(RecordReturnToCustodyRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostReturnToCustody(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<RecordReturnToCustodyRequest>(request, bus, clock,
            (body, _) => new RecordReturnToCustody(
                journeyId, new ReturnedToCustody(body.ReturnedOn!.Value, body.Reason!.Value)),
            cancellation);

    public static Decision DecideDeath(JourneyFacts journey, Died died) => journey.DiedOn switch
    {
        { } earlier when earlier == died.DiedOn => Decision.Unchanged,
        { } earlier => Decision.Reject(
            "diedOn", $"a death on {earlier.Iso()} is already recorded; correct the date instead"),
        _ => Decision.AcceptIfConsistent(journey, died, "diedOn"),
    };

    public static Decision DecideDeportation(JourneyFacts journey, Deported deported)
    {
        if (journey.DeportedOn is { } earlier)
        {
            return earlier == deported.DeportedOn
                ? Decision.Unchanged
                : Decision.Reject(
                    "deportedOn", $"a deportation on {earlier.Iso()} is already recorded; correct the date instead");
        }

        return Decision.IfClosed(journey, "deportedOn")
            ?? Decision.AcceptIfConsistent(journey, deported, "deportedOn");
    }

    public static Decision DecideReturnToCustody(JourneyFacts journey, ReturnedToCustody returned)
    {
        if (journey.ReturnedToCustody is { } earlier)
        {
            return earlier == returned
                ? Decision.Unchanged
                : Decision.Reject(
                    "returnedOn",
                    $"a return to custody on {earlier.ReturnedOn.Iso()} is already recorded; " +
                    "correct the date instead");
        }

        if (journey.Release is null)
        {
            return Decision.Reject("returnedOn", "the journey has no release yet: the person is still in custody");
        }

        return Decision.IfClosed(journey, "returnedOn")
            ?? Decision.AcceptIfConsistent(journey, returned, "returnedOn");
    }
}
