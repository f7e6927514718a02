using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys.WindowClose;
using Marten;
using NodaTime;
using Wolverine;
using Wolverine.Marten.Publishing;

namespace ContinuityOfCare.Journeys;

/// <summary>Answer to a write on an existing journey.</summary>
public sealed record JourneyWritten(Guid JourneyId, long Version, JourneyStage Stage);

/// <summary>
/// A write made under an Idempotency-Key: what was asked (a fingerprint) and what was answered, stored in the same
/// transaction as the event, so a repeat gets the first answer and a different request under the key is refused.
/// A key belongs to one caller on one journey: another caller's identical key is another write.
/// </summary>
public sealed class IdempotentWrite
{
    public string Id { get; set; } = "";

    public string Fingerprint { get; set; } = "";

    public long Version { get; set; }

    public JourneyStage Stage { get; set; }

    /// <summary>Starts with the journey id, so erasure can delete a journey's keys by prefix.</summary>
    public static string IdFor(Guid journeyId, Caller caller, string key) => $"{journeyId}/{caller.Scope}/{key}";
}

/// <summary>
/// The one path by which events are appended to an existing journey: lock the journey's stream, load it, ask its
/// rules, append, commit. Writers to one journey queue on that lock (a row lock in PostgreSQL, held until commit,
/// so it serialises writers on every node) and each decides on the state its predecessor left: racing writers are
/// all placed, or answered 409 by the rules. The session is enlisted in Wolverine's outbox, so the window-close
/// check is scheduled if and only if the event commits.
/// </summary>
public sealed class JourneyWriter(OutboxedSessionFactory sessions, IClock clock, ContinuityRules rules)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Reads and checks the request body, then appends what <paramref name="decide"/> makes of it.</summary>
    public Task<IResult> RecordAsync<TRequest>(
        Guid journeyId, HttpRequest request, IMessageBus bus, Side side, Func<TRequest, LocalDate, Func<Journey, Decision>> decide,
        CancellationToken cancellation)
        where TRequest : class, ICheckedRequest =>
        RecordAsync(journeyId, request, bus, _ => side, decide, cancellation);

    /// <summary>As above, when which side may take the step depends on what is asked.</summary>
    public async Task<IResult> RecordAsync<TRequest>(
        Guid journeyId, HttpRequest request, IMessageBus bus, Func<TRequest, Side> side, Func<TRequest, LocalDate, Func<Journey, Decision>> decide,
        CancellationToken cancellation)
        where TRequest : class, ICheckedRequest
    {
        var today = LondonCalendar.Today(clock);
        var (body, problem) = await RequestBody.ReadCheckedAsync<TRequest>(request, today, cancellation);
        return problem ?? await AppendAsync(journeyId, request, body!, side(body!), decide(body!, today), bus, cancellation);
    }

    public async Task<IResult> AppendAsync(
        Guid journeyId, HttpRequest request, object requestBody, Side side, Func<Journey, Decision> decide, IMessageBus bus,
        CancellationToken cancellation)
    {
        var caller = Caller.Of(request.HttpContext);
        var key = request.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length > 0 && (key.Length > 100 || key.Any(c => c is < '!' or > '~')))
        {
            return Problems.Invalid(IdempotencyKeyHeader, "must be 1 to 100 printable ASCII characters without spaces");
        }

        var fingerprint = Fingerprint.Of(requestBody, request.Path.Value ?? "");
        await using var session = sessions.OpenSession(bus);
        var stream = await session.Events.FetchForExclusiveWriting<Journey>(journeyId, cancellation);
        if (stream.Aggregate is not { } journey)
        {
            return Problems.UnknownJourney(journeyId);
        }

        // Before the access check: a caller repeating their own request gets their own first answer, even if the
        // journey has since moved out of their hands. Nobody else's key is ever looked at.
        var keyId = IdempotentWrite.IdFor(journeyId, caller, key);
        if (key.Length > 0 && await session.LoadAsync<IdempotentWrite>(keyId, cancellation) is { } earlier)
        {
            return earlier.Fingerprint == fingerprint
                ? Results.Ok(new JourneyWritten(journeyId, earlier.Version, earlier.Stage))
                : Problems.Conflict(IdempotencyKeyHeader, $"'{key}' was already used for a different request on this journey");
        }

        if (!caller.MayAct(side, journey.Facts))
        {
            return Problems.Forbidden(NotYours(side, journeyId));
        }

        var (role, organisation) = caller.ActingAs(side, journey.Facts);
        Audit.Stamp(session, request.HttpContext, caller.User, role, organisation);

        return await decide(journey).Match(
            accepted: AppendAsync,
            unchanged: () => CommitAsync(new JourneyWritten(journeyId, journey.Version, journey.Stage)),
            rejected: (field, reason) => Task.FromResult(Problems.Conflict(field, reason)));

        async Task<IResult> AppendAsync(IJourneyEvent @event)
        {
            stream.AppendOne(@event);
            var after = journey.Facts.Evolve(@event);
            if (WindowCloseCheck.DueAfter(journey.Facts, after, rules) is { } closesAt)
            {
                await WindowCloseCheck.ScheduleAsync(bus, journeyId, closesAt, clock);
            }

            return await CommitAsync(new JourneyWritten(journeyId, journey.Version + 1, after.Stage));
        }

        async Task<IResult> CommitAsync(JourneyWritten written)
        {
            if (key.Length > 0)
            {
                session.Insert(new IdempotentWrite
                {
                    Id = keyId, Fingerprint = fingerprint, Version = written.Version, Stage = written.Stage,
                });
            }

            await session.SaveChangesAsync(cancellation);
            return Results.Ok(written);
        }
    }

    public static string NotYours(Side side, Guid journeyId) => side switch
    {
        Side.Prison => $"Journey {journeyId} is not at a prison this caller's team works for.",
        Side.Provider => $"Journey {journeyId} is not handed over to a provider this caller works for.",
        _ => $"Journey {journeyId} is neither at this caller's prison nor handed over to this caller's provider.",
    };
}
