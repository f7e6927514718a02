using ContinuityOfCare.Journeys;
using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys.Corrections;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Journeys.Registration;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace ContinuityOfCare.Journeys.Erasure;

/// <summary>
/// A verified erasure request was carried out: the journey's identifying data (person and journey references, and
/// the free texts of corrections and lapse reasons) is masked in its recorded events and documents. Its dates, codes
/// and counts stay, so the anonymous figures do not change.
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
        options.Events.AddMaskingRuleForProtectedInformation<LapseReasonRecorded>(
            e => e.Text is null ? e : e with { Text = erased });
        options.Events.AddMaskingRuleForProtectedInformation<LapseReasonCorrected>(
            e => e.Text is null ? e : e with { Text = erased });
    }

    /// <summary>
    /// Operators only (the data protection officer's verified request). Idempotent: asking again re-applies the
    /// masking, so an erasure interrupted after its event was recorded is completed by repeating it.
    /// </summary>
    [WolverinePost(
        "/api/v1/journeys/{journeyId}/erasure",
        Summary = "Erase the identifying data of a journey (operators, on a verified request)")]
    [RequestBody(typeof(ErasureRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    [Authorize(Policy = Roles.Operator)]
    public static async Task<IResult> Post(
        Guid journeyId, HttpRequest request, IMessageBus bus, IDocumentStore store, IClock clock,
        CancellationToken cancellation)
    {
        var (body, problem) = await RequestBody.ReadCheckedAsync<ErasureRequest>(
            request, LondonCalendar.Today(clock), cancellation);
        if (problem is not null)
        {
            return problem;
        }

        var asked = new StepRequest(Caller.Of(request.HttpContext), "", "");
        var answer = await bus.InvokeAsync<StepAnswer>(
            new EraseIdentifyingData(journeyId, body!.RequestRef!, body.VerifiedOn!.Value),
            asked.Delivery(Correlation.Of(request.HttpContext)), cancellation);
        if (answer is StepWritten)
        {
            // After the commit: masking rewrites the stream's stored events, which the erasure event now covers.
            await store.Advanced.ApplyEventDataMasking(m => m.IncludeStream(journeyId), cancellation);
        }

        return answer.ToResult();
    }
}

/// <summary>The operator's verified erasure request for one journey.</summary>
public sealed record EraseIdentifyingData(Guid JourneyId, string RequestRef, LocalDate VerifiedOn);

public static class EraseIdentifyingDataHandler
{
    /// <summary>The same stream lock as every other write on the journey: erasure waits its turn.</summary>
    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static (StepAnswer, Events) Handle(
        EraseIdentifyingData command, Journey? journey, Envelope envelope, IDocumentSession session)
    {
        var events = new Events();
        if (journey is null)
        {
            return (StepRefused.Unknown(command.JourneyId), events);
        }

        var written = new JourneyWritten(journey.Id, journey.Version, journey.Stage);
        if (journey.PersonRef != IdentifyingDataErased.Placeholder)
        {
            var caller = StepRequest.From(envelope).Caller;
            Audit.Stamp(session, new RecordedBy(caller.User, Roles.Operator, caller.OrganisationList));
            events.Add(new IdentifyingDataErased(command.RequestRef, command.VerifiedOn));
            written = written with { Version = journey.Version + 1 }; // erasure leaves the stage as it was
        }

        // The reference lookup and the Idempotency-Key records hold the caller's own references and keys.
        session.DeleteWhere<JourneyReference>(r => r.JourneyId == journey.Id);
        session.DeleteWhere<IdempotentWrite>(w => w.Id.StartsWith(journey.Id + "/"));
        return (new StepWritten(written), events);
    }
}
