using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using NodaTime;
using Wolverine.Http;

namespace ContinuityOfCare.Journeys.Release;

public sealed record RecordReleaseRequest(
    LocalDate? ReleasedOn,
    ReleaseType? ReleaseType,
    string? DestinationLocalAuthority,
    string? CommunityProvider,
    bool? NoFixedAbode,
    bool? NaloxoneSupplied,
    bool? MetAtGate) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today)
    {
        var errors = new ValidationErrors();
        errors.PastDate("releasedOn", ReleasedOn, today);
        errors.Required("releaseType", ReleaseType);
        errors.Code("destinationLocalAuthority", DestinationLocalAuthority);
        errors.Code("communityProvider", CommunityProvider);
        return errors;
    }
}

public static class RecordReleaseEndpoint
{
    [WolverinePost("/api/v1/journeys/{journeyId}/release")]
    public static async Task<IResult> Post(
        Guid journeyId, HttpRequest request, JourneyWriter writer, IClock clock, CancellationToken cancellation)
    {
        var (body, problem) = await RequestBody.ReadCheckedAsync<RecordReleaseRequest>(request, LondonCalendar.Today(clock), cancellation);
        if (problem is not null)
        {
            return problem;
        }

        var released = new ReleasedFromCustody(
            body!.ReleasedOn!.Value, body.ReleaseType!.Value, body.DestinationLocalAuthority!, body.CommunityProvider!,
            body.NoFixedAbode, body.NaloxoneSupplied, body.MetAtGate);
        return await writer.AppendAsync(journeyId, request.HttpContext, journey => Decide(journey, released), cancellation);
    }

    public static Decision Decide(Journey journey, ReleasedFromCustody released)
    {
        if (journey.Release is { } earlier)
        {
            return Decision.Reject("releasedOn", $"the journey was already released on {earlier.ReleasedOn.Iso()}");
        }

        if (released.ReleasedOn < journey.CustodyTreatmentStartedOn)
        {
            return Decision.Reject(
                "releasedOn", $"is before custody treatment started ({journey.CustodyTreatmentStartedOn.Iso()})");
        }

        return Decision.Append(released);
    }
}
