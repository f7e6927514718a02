using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;

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

public static class RecordTreatmentEndEndpoint
{
    [WolverinePost("/api/v1/journeys/{journeyId}/treatment-end")]
    [RequestBody(typeof(RecordTreatmentEndRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> Post(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<RecordTreatmentEndRequest>(
            journeyId, request, bus, Side.Provider, (body, _) => journey => Decide(journey.Facts, new TreatmentEnded(body.EndedOn!.Value, body.Reason!.Value)),
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
                : Decision.Reject("endedOn", $"treatment already ended on {earlier.EndedOn.Iso()}; correct the date instead");
        }

        return Decision.AcceptIfConsistent(journey, ended, "endedOn");
    }
}
