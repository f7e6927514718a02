using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;

namespace ContinuityOfCare.Journeys.Exits;

public sealed record RecordDeathRequest(LocalDate? DiedOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors().Also(e => e.PastDate("diedOn", DiedOn, today));
}

public sealed record RecordDeportationRequest(LocalDate? DeportedOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors().Also(e => e.PastDate("deportedOn", DeportedOn, today));
}

public sealed record RecordReturnToCustodyRequest(LocalDate? ReturnedOn, ReturnToCustodyReason? Reason) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) =>
        new ValidationErrors().Also(e => e.PastDate("returnedOn", ReturnedOn, today)).Also(e => e.Required("reason", Reason));
}

/// <summary>
/// Exits from the pathway, recorded by either side. Before a pickup and inside the window they exclude the journey
/// from the rate (each rule configurable); they also close the journey to everything but corrections.
/// </summary>
public static class ExitEndpoints
{
    [WolverinePost("/api/v1/journeys/{journeyId}/death")]
    [RequestBody(typeof(RecordDeathRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostDeath(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<RecordDeathRequest>(
            journeyId, request, bus, Side.Either, (body, _) => journey => DecideDeath(journey.Facts, new Died(body.DiedOn!.Value)), cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/deportation")]
    [RequestBody(typeof(RecordDeportationRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostDeportation(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<RecordDeportationRequest>(
            journeyId, request, bus, Side.Either, (body, _) => journey => DecideDeportation(journey.Facts, new Deported(body.DeportedOn!.Value)), cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/return-to-custody")]
    [RequestBody(typeof(RecordReturnToCustodyRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostReturnToCustody(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<RecordReturnToCustodyRequest>(
            journeyId, request, bus, Side.Either,
            (body, _) => journey => DecideReturnToCustody(journey.Facts, new ReturnedToCustody(body.ReturnedOn!.Value, body.Reason!.Value)),
            cancellation);

    public static Decision DecideDeath(JourneyFacts journey, Died died) => journey.DiedOn switch
    {
        { } earlier when earlier == died.DiedOn => Decision.Unchanged,
        { } earlier => Decision.Reject("diedOn", $"a death on {earlier.Iso()} is already recorded; correct the date instead"),
        _ => Decision.AcceptIfConsistent(journey, died, "diedOn"),
    };

    public static Decision DecideDeportation(JourneyFacts journey, Deported deported)
    {
        if (journey.DeportedOn is { } earlier)
        {
            return earlier == deported.DeportedOn
                ? Decision.Unchanged
                : Decision.Reject("deportedOn", $"a deportation on {earlier.Iso()} is already recorded; correct the date instead");
        }

        return Decision.IfClosed(journey, "deportedOn") ?? Decision.AcceptIfConsistent(journey, deported, "deportedOn");
    }

    public static Decision DecideReturnToCustody(JourneyFacts journey, ReturnedToCustody returned)
    {
        if (journey.ReturnedToCustody is { } earlier)
        {
            return earlier == returned
                ? Decision.Unchanged
                : Decision.Reject("returnedOn", $"a return to custody on {earlier.ReturnedOn.Iso()} is already recorded; correct the date instead");
        }

        if (journey.Release is null)
        {
            return Decision.Reject("returnedOn", "the journey has no release yet: the person is still in custody");
        }

        return Decision.IfClosed(journey, "returnedOn") ?? Decision.AcceptIfConsistent(journey, returned, "returnedOn");
    }
}
