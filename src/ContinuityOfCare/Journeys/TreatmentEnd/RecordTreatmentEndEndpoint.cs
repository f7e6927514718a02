using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;
using Wolverine.Marten;

namespace ContinuityOfCare.Journeys.TreatmentEnd;

public sealed record RecordTreatmentEndRequest(LocalDate? EndedOn, TreatmentEndReason? Reason) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today)
    {
        var errors = new ValidationErrors();
        errors.PastDate("endedOn", EndedOn, today);
        errors.Required("reason", Reason);
        return errors;
    }
}

/// <summary>The provider records that community treatment ended, and why.</summary>
public sealed record RecordTreatmentEnd(Guid JourneyId, TreatmentEnded Ended) : IJourneyCommand;

public static class RecordTreatmentEndHandler
{
    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        RecordTreatmentEnd command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Provider,
            facts => RecordTreatmentEndEndpoint.Decide(facts, command.Ended), cancellation);
}

public static class RecordTreatmentEndEndpoint
{
    [WolverinePost(
        "/api/v1/journeys/{journeyId}/treatment-end",
        Summary = "Record the end of community treatment, and why")]
    [RequestBody(typeof(RecordTreatmentEndRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> Post(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<RecordTreatmentEndRequest>(request, bus, clock,
            (body, _) => new RecordTreatmentEnd(
                journeyId, new TreatmentEnded(body.EndedOn!.Value, body.Reason!.Value)),
            cancellation);

    public static Decision Decide(JourneyFacts journey, TreatmentEnded ended)
    {
        if (journey.CommunityTreatmentStartedOn is null)
        {
            return Decision.Reject("endedOn", "community treatment has not started: record its start first");
        }

        if (journey.TreatmentEnding is { } earlier)
        {
            return earlier == new TreatmentEnding(ended.EndedOn, ended.Reason)
                ? Decision.Unchanged
                : Decision.Reject(
                    "endedOn", $"treatment already ended on {earlier.EndedOn.Iso()}; correct the date instead");
        }

        return Decision.AcceptIfConsistent(journey, ended, "endedOn");
    }
}
