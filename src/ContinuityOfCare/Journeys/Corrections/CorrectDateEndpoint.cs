using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;
using Wolverine.Marten;

namespace ContinuityOfCare.Journeys.Corrections;

public sealed record CorrectDateRequest(CorrectableDate? Fact, LocalDate? CorrectedOn, string? Reason)
    : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors()
        .Also(e => e.Required("fact", Fact))
        .Also(e => e.PastDate("correctedOn", CorrectedOn, today))
        .Also(e => e.Reference("reason", Reason, maxLength: 500));
}

/// <summary>Corrects a date recorded in error, saying why.</summary>
public sealed record CorrectDate(Guid JourneyId, CorrectableDate Fact, LocalDate CorrectedOn, string Reason)
    : IJourneyCommand;

public static class CorrectDateHandler
{
    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        CorrectDate command, Journey? journey, JourneyStep step, CancellationToken cancellation) =>
        step.TakeAsync(command, journey, CorrectDateEndpoint.SideFor(command.Fact),
            facts => CorrectDateEndpoint.Decide(facts, command), cancellation);
}

public static class CorrectDateEndpoint
{
    /// <summary>
    /// Corrects a date recorded in error; allowed on closed journeys too, because the figures must be right.
    /// </summary>
    [WolverinePost("/api/v1/journeys/{journeyId}/corrections", Summary = "Correct a recorded date")]
    [RequestBody(typeof(CorrectDateRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> Post(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<CorrectDateRequest>(request, bus, clock,
            (body, _) => new CorrectDate(journeyId, body.Fact!.Value, body.CorrectedOn!.Value, body.Reason!),
            cancellation);

    /// <summary>Each side corrects the dates it records; exits are recorded, so corrected, by either.</summary>
    public static Side SideFor(CorrectableDate fact) => fact switch
    {
        CorrectableDate.CustodyTreatmentStart or CorrectableDate.Release => Side.Prison,
        CorrectableDate.CommunityTreatmentStart or CorrectableDate.TreatmentEnd => Side.Provider,
        _ => Side.Either,
    };

    public static Decision Decide(JourneyFacts journey, CorrectDate correction) =>
        journey.DateOf(correction.Fact) switch
        {
            null => Decision.Reject("fact", $"the journey has no {Describe(correction.Fact)} date to correct"),
            { } recorded when recorded == correction.CorrectedOn => Decision.Unchanged,
            { } recorded => Decision.AcceptIfConsistent(
                journey,
                new DateCorrected(correction.Fact, recorded, correction.CorrectedOn, correction.Reason),
                "correctedOn"),
        };

    private static string Describe(CorrectableDate fact) => ApiJson.Code(fact);
}
