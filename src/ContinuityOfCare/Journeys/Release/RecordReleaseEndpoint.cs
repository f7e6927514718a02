using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;

namespace ContinuityOfCare.Journeys.Release;

public sealed record RecordReleaseRequest(
    LocalDate? ReleasedOn,
    ReleaseType? ReleaseType,
    string? DestinationLocalAuthority,
    string? CommunityProvider,
    bool? NoFixedAbode = null,
    bool? NaloxoneSupplied = null,
    bool? MetAtGate = null) : ICheckedRequest
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

    public ReleasedFromCustody ToEvent() => new(
        ReleasedOn!.Value, ReleaseType!.Value, DestinationLocalAuthority!, CommunityProvider!, NoFixedAbode, NaloxoneSupplied, MetAtGate);
}

public static class RecordReleaseEndpoint
{
    [WolverinePost("/api/v1/journeys/{journeyId}/release")]
    [RequestBody(typeof(RecordReleaseRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> Post(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<RecordReleaseRequest>(journeyId, request, bus, Side.Prison, (body, _) => journey => Decide(journey.Facts, body.ToEvent()), cancellation);

    public static Decision Decide(JourneyFacts journey, ReleasedFromCustody released)
    {
        if (journey.Release is { } earlier)
        {
            return earlier == released
                ? Decision.Unchanged
                : Decision.Reject("releasedOn", $"the journey was already released on {earlier.ReleasedOn.Iso()}; correct the date instead");
        }

        return Decision.IfClosed(journey, "releasedOn") ?? Decision.AcceptIfConsistent(journey, released, "releasedOn");
    }
}
