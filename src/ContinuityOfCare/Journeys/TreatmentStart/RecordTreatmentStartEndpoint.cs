using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;
using Wolverine.Marten;

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

/// <summary>The provider records the pickup: the first community structured-treatment date.</summary>
public sealed record RecordTreatmentStart(Guid JourneyId, CommunityTreatmentStarted Started) : IJourneyCommand;

public static class RecordTreatmentStartHandler
{
    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        RecordTreatmentStart command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Provider,
            facts => RecordTreatmentStartEndpoint.Decide(facts, command.Started), cancellation);
}

public static class RecordTreatmentStartEndpoint
{
    [WolverinePost(
        "/api/v1/journeys/{journeyId}/community-treatment-start",
        Summary = "Record the start of community treatment (the pickup)")]
    [RequestBody(typeof(RecordTreatmentStartRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> Post(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<RecordTreatmentStartRequest>(request, bus, clock,
            (body, _) => new RecordTreatmentStart(journeyId, new CommunityTreatmentStarted(body.StartedOn!.Value)),
            cancellation);

    public static Decision Decide(JourneyFacts journey, CommunityTreatmentStarted started)
    {
        if (journey.Release is null)
        {
            return Decision.Reject(
                "startedOn", "the journey has no release yet: community treatment starts after release");
        }

        if (journey.CommunityTreatmentStartedOn is { } earlier)
        {
            return earlier == started.StartedOn
                ? Decision.Unchanged
                : Decision.Reject(
                    "startedOn", $"community treatment already started on {earlier.Iso()}; correct the date instead");
        }

        return Decision.AcceptIfConsistent(journey, started, "startedOn");
    }
}
