using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;
using Wolverine.Marten;

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

    public RecordRelease ToCommand(Guid journeyId) => new(journeyId, new ReleasedFromCustody(
        ReleasedOn!.Value, ReleaseType!.Value, DestinationLocalAuthority!, CommunityProvider!, NoFixedAbode,
        NaloxoneSupplied, MetAtGate));
}

/// <summary>The prison team records the release, which starts the pickup window.</summary>
public sealed record RecordRelease(Guid JourneyId, ReleasedFromCustody Released) : IJourneyCommand;

public static class RecordReleaseHandler
{
    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        RecordRelease command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Prison,
            facts => RecordReleaseEndpoint.Decide(facts, command.Released), cancellation);
}

public static class RecordReleaseEndpoint
{
    [WolverinePost("/api/v1/journeys/{journeyId}/release", Summary = "Record the release from custody")]
    [RequestBody(typeof(RecordReleaseRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> Post(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<RecordReleaseRequest>(
            request, bus, clock, (body, _) => body.ToCommand(journeyId), cancellation);

    public static Decision Decide(JourneyFacts journey, ReleasedFromCustody released)
    {
        if (journey.Release is { } earlier)
        {
            return earlier == released
                ? Decision.Unchanged
                : Decision.Reject(
                    "releasedOn",
                    $"the journey was already released on {earlier.ReleasedOn.Iso()}; correct the date instead");
        }

        return Decision.IfClosed(journey, "releasedOn")
            ?? Decision.AcceptIfConsistent(journey, released, "releasedOn");
    }
}
