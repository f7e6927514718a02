using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;
using Wolverine.Http;

namespace ContinuityOfCare.Journeys.Registration;

public sealed record RegisterJourneyRequest(
    string? JourneyRef,
    string? PersonRef,
    string? PrisonCode,
    Sex? Sex,
    SubstanceGroup? SubstanceGroup,
    LocalDate? CustodyTreatmentStartedOn,
    int? BirthYear = null,
    EntryPoint? EntryPoint = null) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today)
    {
        var errors = new ValidationErrors();
        errors.Reference("journeyRef", JourneyRef);
        errors.Reference("personRef", PersonRef);
        errors.Code("prisonCode", PrisonCode);
        errors.Required("sex", Sex);
        errors.Required("substanceGroup", SubstanceGroup);
        if (BirthYear is { } year && (year < 1900 || year > today.Year))
        {
            errors.Add("birthYear", $"must be between 1900 and {today.Year}");
        }

        errors.PastDate("custodyTreatmentStartedOn", CustodyTreatmentStartedOn, today);
        return errors;
    }
}

public sealed record JourneyRegistered(Guid JourneyId);

/// <summary>
/// Which journey a caller's journeyRef opened, and a fingerprint of the request that opened it, so that a repeat
/// of the same request gets the same journey and a different request under the same reference is refused.
/// Written in the same transaction as the stream's first event.
/// </summary>
public sealed class JourneyReference
{
    public string Id { get; set; } = "";

    public Guid JourneyId { get; set; }

    public string RequestFingerprint { get; set; } = "";

    /// <summary>References are the prison's own, so they are unique within a prison, not across prisons.</summary>
    public static string IdFor(JourneyOpened opened) => $"{opened.PrisonCode}/{opened.JourneyRef}";
}

/// <summary>The prison team opens a journey: the stream's first event.</summary>
public sealed record OpenJourney(JourneyOpened Opened);

/// <summary>
/// Opened (201), an identical repeat (200, the same journey), or refused (403, or 409 naming the field).
/// </summary>
public sealed record JourneyOpening(Guid JourneyId, bool Created, StepRefused? Refused = null);

public static class OpenJourneyHandler
{
    /// <summary>
    /// Two identical requests racing: one commits, the other hits the reference's primary key; Wolverine's one
    /// retry policy (see ServiceSetup) runs it again, and it answers as a repeat.
    /// </summary>
    public static async Task<JourneyOpening> Handle(
        OpenJourney command, Envelope envelope, IDocumentSession session, CancellationToken cancellation)
    {
        var (opened, asked) = (command.Opened, StepRequest.From(envelope));
        if (!asked.Caller.IsPrisonTeamOf(opened.PrisonCode))
        {
            return Refused(
                StepRefusal.Forbidden,
                "",
                $"Only {opened.PrisonCode}'s prison healthcare team can open a journey there.");
        }

        Audit.Stamp(session, new RecordedBy(asked.Caller.User, Roles.Prison, opened.PrisonCode));
        if (await session.LoadAsync<JourneyReference>(JourneyReference.IdFor(opened), cancellation) is { } existing)
        {
            return existing.RequestFingerprint == asked.Fingerprint
                ? new JourneyOpening(existing.JourneyId, Created: false)
                : Refused(StepRefusal.Conflict, "journeyRef",
                    $"'{opened.JourneyRef}' was already used to open a journey with different details");
        }

        var journeyId = Guid.CreateVersion7();
        session.Events.StartStream<Journey>(journeyId, opened);
        session.Insert(new JourneyReference
        {
            Id = JourneyReference.IdFor(opened), JourneyId = journeyId, RequestFingerprint = asked.Fingerprint,
        });
        return new JourneyOpening(journeyId, Created: true);
    }

    private static JourneyOpening Refused(StepRefusal refusal, string field, string detail) =>
        new(Guid.Empty, false, new StepRefused(refusal, field, detail));
}

public static class RegisterJourneyEndpoint
{
    [WolverinePost("/api/v1/journeys", Summary = "Open a journey for a person in custody with a treatment need")]
    [RequestBody(typeof(RegisterJourneyRequest))]
    [ProducesResponseType<JourneyRegistered>(201)]
    [ProducesResponseType<JourneyRegistered>(200)]
    [Authorize(Policy = Roles.Prison)]
    public static async Task<IResult> Post(
        HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation)
    {
        var (body, problem) = await RequestBody.ReadCheckedAsync<RegisterJourneyRequest>(
            request, LondonCalendar.Today(clock), cancellation);
        if (problem is not null)
        {
            return problem;
        }

        var opened = new JourneyOpened(
            body!.JourneyRef!, body.PersonRef!, body.PrisonCode!, body.Sex!.Value, body.BirthYear,
            body.SubstanceGroup!.Value, body.CustodyTreatmentStartedOn!.Value, body.EntryPoint);
        // A journey reference, not an Idempotency-Key, makes opening idempotent: the fingerprint is of what it opens.
        var asked = new StepRequest(Caller.Of(request.HttpContext), "", Fingerprint.Of(opened));
        var answer = await bus.InvokeAsync<JourneyOpening>(
            new OpenJourney(opened), asked.Delivery(Correlation.Of(request.HttpContext)), cancellation);
        return answer switch
        {
            { Refused: { } refused } => refused.ToResult(),
            { Created: true } =>
                Results.Created(JourneyLocation(answer.JourneyId), new JourneyRegistered(answer.JourneyId)),
            _ => Results.Ok(new JourneyRegistered(answer.JourneyId)).WithLocation(answer.JourneyId),
        };
    }

    public static string JourneyLocation(Guid journeyId) => $"/api/v1/journeys/{journeyId}";

    private static IResult WithLocation(this IResult result, Guid journeyId) =>
        new LocatedResult(result, JourneyLocation(journeyId));

    /// <summary>An identical repeat answers 200 and still says where the journey is.</summary>
    private sealed class LocatedResult(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
