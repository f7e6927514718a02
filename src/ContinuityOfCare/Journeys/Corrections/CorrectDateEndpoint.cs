using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;

namespace ContinuityOfCare.Journeys.Corrections;

public sealed record CorrectDateRequest(CorrectableDate? Fact, LocalDate? CorrectedOn, string? Reason) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors()
        .Also(e => e.Required("fact", Fact))
        .Also(e => e.PastDate("correctedOn", CorrectedOn, today))
        .Also(e => e.Reference("reason", Reason, maxLength: 500));
}

public static class CorrectDateEndpoint
{
    /// <summary>Corrects a date recorded in error; allowed on closed journeys too, because the figures must be right.</summary>
    [WolverinePost("/api/v1/journeys/{journeyId}/corrections")]
    [RequestBody(typeof(CorrectDateRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> Post(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<CorrectDateRequest>(journeyId, request, bus, CorrectDateEndpoint.SideFor, (body, _) => journey => Decide(journey.Facts, body), cancellation);

    /// <summary>Each side corrects the dates it records; exits are recorded, so corrected, by either.</summary>
    public static Side SideFor(CorrectDateRequest request) => request.Fact switch
    {
        CorrectableDate.CustodyTreatmentStart or CorrectableDate.Release => Side.Prison,
        CorrectableDate.CommunityTreatmentStart or CorrectableDate.TreatmentEnd => Side.Provider,
        _ => Side.Either,
    };

    public static Decision Decide(JourneyFacts journey, CorrectDateRequest request)
    {
        var fact = request.Fact!.Value;
        var correctedOn = request.CorrectedOn!.Value;
        return journey.DateOf(fact) switch
        {
            null => Decision.Reject("fact", $"the journey has no {Describe(fact)} date to correct"),
            { } recorded when recorded == correctedOn => Decision.Unchanged,
            { } recorded => Decision.AcceptIfConsistent(journey, new DateCorrected(fact, recorded, correctedOn, request.Reason!), "correctedOn"),
        };
    }

    private static string Describe(CorrectableDate fact) => ApiJson.Code(fact);
}
