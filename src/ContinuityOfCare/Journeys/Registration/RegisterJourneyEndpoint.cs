using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using JasperFx;
using Marten.Exceptions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Npgsql;
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

public static class RegisterJourneyEndpoint
{
    [WolverinePost("/api/v1/journeys")]
    [RequestBody(typeof(RegisterJourneyRequest))]
    [ProducesResponseType<JourneyRegistered>(201)]
    [ProducesResponseType<JourneyRegistered>(200)]
    [Authorize(Policy = Roles.Prison)]
    public static async Task<IResult> Post(HttpRequest request, IDocumentStore store, IClock clock, CancellationToken cancellation)
    {
        var (body, problem) = await RequestBody.ReadCheckedAsync<RegisterJourneyRequest>(request, LondonCalendar.Today(clock), cancellation);
        if (problem is not null)
        {
            return problem;
        }

        var caller = Caller.Of(request.HttpContext);
        if (!caller.IsPrisonTeamOf(body!.PrisonCode!))
        {
            return Problems.Forbidden($"Only {body.PrisonCode}'s prison healthcare team can open a journey there.");
        }

        var opened = new JourneyOpened(
            body.JourneyRef!, body.PersonRef!, body.PrisonCode!, body.Sex!.Value, body.BirthYear,
            body.SubstanceGroup!.Value, body.CustodyTreatmentStartedOn!.Value, body.EntryPoint);
        var fingerprint = Fingerprint.Of(opened);

        // Two identical requests racing: one commits, the other hits the reference's primary key and answers as a repeat.
        for (var attempt = 0; ; attempt++)
        {
            await using var session = store.LightweightSession();
            Audit.Stamp(session, request.HttpContext, caller.User, Roles.Prison, opened.PrisonCode);
            var existing = await session.LoadAsync<JourneyReference>(JourneyReference.IdFor(opened), cancellation);
            if (existing is not null)
            {
                return existing.RequestFingerprint == fingerprint
                    ? Results.Ok(new JourneyRegistered(existing.JourneyId)).WithLocation(existing.JourneyId)
                    : Problems.Conflict("journeyRef", $"'{opened.JourneyRef}' was already used to open a journey with different details");
            }

            var journeyId = Guid.CreateVersion7();
            session.Events.StartStream<Journey>(journeyId, opened);
            session.Insert(new JourneyReference { Id = JourneyReference.IdFor(opened), JourneyId = journeyId, RequestFingerprint = fingerprint });
            try
            {
                await session.SaveChangesAsync(cancellation);
                return Results.Created(JourneyLocation(journeyId), new JourneyRegistered(journeyId));
            }
            catch (Exception e) when (attempt == 0 && IsDuplicateKey(e))
            {
            }
        }
    }

    public static string JourneyLocation(Guid journeyId) => $"/api/v1/journeys/{journeyId}";

    private static IResult WithLocation(this IResult result, Guid journeyId) => new LocatedResult(result, JourneyLocation(journeyId));

    private static bool IsDuplicateKey(Exception e) =>
        e is DocumentAlreadyExistsException or ExistingStreamIdCollisionException ||
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } ||
        (e.InnerException is not null && IsDuplicateKey(e.InnerException));

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
