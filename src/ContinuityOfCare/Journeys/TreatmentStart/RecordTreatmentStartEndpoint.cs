using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;

namespace ContinuityOfCare.Journeys.TreatmentStart;

public sealed record RecordTreatmentStartRequest(LocalDate? StartedOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today)
    {
        var errors = new ValidationErrors();
        errors.PastDate("startedOn", StartedOn, today);
        return errors;
    }
}

public static class RecordTreatmentStartEndpoint
{
    [WolverinePost("/api/v1/journeys/{journeyId}/community-treatment-start")]
    [RequestBody(typeof(RecordTreatmentStartRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> Post(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<RecordTreatmentStartRequest>(
            journeyId, request, bus, Side.Provider, (body, _) => journey => Decide(journey.Facts, new CommunityTreatmentStarted(body.StartedOn!.Value)), cancellation);

    public static Decision Decide(JourneyFacts journey, CommunityTreatmentStarted started)
    {
        if (journey.Release is null)
        {
            return Decision.Reject("startedOn", "the journey has no release yet: community treatment starts after release");
        }

        if (journey.CommunityTreatmentStartedOn is { } earlier)
        {
            return earlier == started.StartedOn
                ? Decision.Unchanged
                : Decision.Reject("startedOn", $"community treatment already started on {earlier.Iso()}; correct the date instead");
        }

        return Decision.AcceptIfConsistent(journey, started, "startedOn");
    }
}
