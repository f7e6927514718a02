using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using NodaTime;
using Wolverine.Http;

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
    public static async Task<IResult> Post(
        Guid journeyId, HttpRequest request, JourneyWriter writer, IClock clock, CancellationToken cancellation)
    {
        var (body, problem) = await RequestBody.ReadCheckedAsync<RecordTreatmentStartRequest>(request, LondonCalendar.Today(clock), cancellation);
        if (problem is not null)
        {
            return problem;
        }

        var started = new CommunityTreatmentStarted(body!.StartedOn!.Value);
        return await writer.AppendAsync(journeyId, request.HttpContext, journey => Decide(journey, started), cancellation);
    }

    public static Decision Decide(Journey journey, CommunityTreatmentStarted started)
    {
        if (journey.Release is not { } release)
        {
            return Decision.Reject("startedOn", "the journey has no release yet: community treatment starts after release");
        }

        if (journey.CommunityTreatmentStartedOn is { } earlier)
        {
            return Decision.Reject("startedOn", $"community treatment already started on {earlier.Iso()}");
        }

        if (started.StartedOn < release.ReleasedOn)
        {
            return Decision.Reject("startedOn", $"is before the release on {release.ReleasedOn.Iso()}");
        }

        return Decision.Append(started);
    }
}
