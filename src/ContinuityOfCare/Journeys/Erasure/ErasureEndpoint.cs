using ContinuityOfCare.Journeys;
using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys.Corrections;
using ContinuityOfCare.Journeys.Registration;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace ContinuityOfCare.Journeys.Erasure;

/// <summary>
/// A verified erasure request was carried out: the journey's identifying data (person and journey references, and
/// the free-text reasons of corrections) is masked in its recorded events and documents. Its dates, codes and
/// counts stay, so the anonymous figures do not change.
/// </summary>
public sealed record IdentifyingDataErased(string RequestRef, LocalDate VerifiedOn) : IJourneyEvent
{
    /// <summary>What an erased reference or free text reads as afterwards.</summary>
    public const string Placeholder = "erased";
}

public sealed record ErasureRequest(string? RequestRef, LocalDate? VerifiedOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors()
        .Also(e => e.Reference("requestRef", RequestRef))
        .Also(e => e.PastDate("verifiedOn", VerifiedOn, today));
}

public static class ErasureEndpoint
{
    /// <summary>Marten's masking rules: what each event keeps once its stream is erased.</summary>
    public static void AddMaskingRules(StoreOptions options)
    {
        const string erased = IdentifyingDataErased.Placeholder;
        options.Events.AddMaskingRuleForProtectedInformation<JourneyOpened>(
            e => e with { JourneyRef = erased, PersonRef = erased });
        options.Events.AddMaskingRuleForProtectedInformation<DateCorrected>(e => e with { Reason = erased });
    }

    /// <summary>
    /// Operators only (the data protection officer's verified request). Idempotent: asking again re-applies the
    /// masking, so an erasure interrupted after its event was recorded is completed by repeating it.
    /// </summary>
    [WolverinePost("/api/v1/journeys/{journeyId}/erasure")]
    [RequestBody(typeof(ErasureRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    [Authorize(Policy = Roles.Operator)]
    public static async Task<IResult> Post(Guid journeyId, HttpRequest request, IDocumentStore store, IClock clock, CancellationToken cancellation)
    {
        var caller = Caller.Of(request.HttpContext);
        var (body, problem) = await RequestBody.ReadCheckedAsync<ErasureRequest>(request, LondonCalendar.Today(clock), cancellation);
        if (problem is not null)
        {
            return problem;
        }

        JourneyWritten written;
        await using (var session = store.LightweightSession())
        {
            // The same stream lock as every other write on the journey: erasure waits its turn.
            var stream = await session.Events.FetchForExclusiveWriting<Journey>(journeyId, cancellation);
            if (stream.Aggregate is not { } journey)
            {
                return Problems.UnknownJourney(journeyId);
            }

            written = new JourneyWritten(journeyId, journey.Version, journey.Stage);
            if (journey.PersonRef != IdentifyingDataErased.Placeholder)
            {
                Audit.Stamp(session, request.HttpContext, caller.User, Roles.Operator, caller.OrganisationList);
                stream.AppendOne(new IdentifyingDataErased(body!.RequestRef!, body.VerifiedOn!.Value));
                written = written with { Version = journey.Version + 1 }; // erasure leaves the stage as it was
            }

            // The reference lookup and the Idempotency-Key records hold the caller's own references and keys.
            session.DeleteWhere<JourneyReference>(r => r.JourneyId == journeyId);
            session.DeleteWhere<IdempotentWrite>(w => w.Id.StartsWith(journeyId + "/"));
            await session.SaveChangesAsync(cancellation);
        }

        await store.Advanced.ApplyEventDataMasking(m => m.IncludeStream(journeyId), cancellation);
        return Results.Ok(written);
    }
}
