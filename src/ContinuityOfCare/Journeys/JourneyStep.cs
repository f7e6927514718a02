using System.Text.Json;
using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys.WindowClose;
using Marten;
using NodaTime;
using Wolverine;
using Wolverine.Marten;

namespace ContinuityOfCare.Journeys;

/// <summary>
/// A step on an existing journey (release, pickup, handover...): a command, handled by its step's aggregate handler
/// (<c>[AggregateHandler(ConcurrencyStyle.Exclusive)]</c>), which Wolverine runs with the journey's stream locked.
/// </summary>
public interface IJourneyCommand
{
    Guid JourneyId { get; }
}

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

/// <summary>What a step answered, for the API and the pages alike: written, or refused and why.</summary>
public abstract record StepAnswer
{
    private protected StepAnswer()
    {
    }

    public abstract IResult ToResult();
}

public sealed record StepWritten(JourneyWritten Written) : StepAnswer
{
    public override IResult ToResult() => Results.Ok(Written);
}

public enum StepRefusal
{
    UnknownJourney,
    Forbidden,
    Conflict,
}

/// <summary>Refused: 404, 403, or 409 naming the request field (or header) the conflict is about.</summary>
public sealed record StepRefused(StepRefusal Refusal, string Field, string Detail) : StepAnswer
{
    public static StepRefused Unknown(Guid journeyId) =>
        new(StepRefusal.UnknownJourney, "", Problems.NoSuchJourney(journeyId));

    public override IResult ToResult() => Refusal switch
    {
        StepRefusal.UnknownJourney => Problems.UnknownJourney(Detail),
        StepRefusal.Forbidden => Problems.Forbidden(Detail),
        _ => Problems.Conflict(Field, Detail),
    };
}

/// <summary>
/// Who asks for a step, and under which Idempotency-Key (empty for none): travels with the command as envelope
/// headers, so the command itself says only what is asked.
/// </summary>
public sealed record StepRequest(Caller Caller, string IdempotencyKey, string Fingerprint)
{
    private const string Header = "continuity-step-request";

    /// <summary>The correlation id goes to the envelope, and from there to the events Marten records.</summary>
    public DeliveryOptions Delivery(string correlationId) =>
        new DeliveryOptions { CorrelationId = correlationId }.WithHeader(Header, JsonSerializer.Serialize(new Carried(
            Caller.User, [.. Caller.Roles], [.. Caller.Organisations], [.. Caller.Permissions], IdempotencyKey,
            Fingerprint)));

    public static StepRequest From(Envelope envelope)
    {
        var carried = envelope.Headers.TryGetValue(Header, out var json) && json is not null
            ? JsonSerializer.Deserialize<Carried>(json)
            : null;
        // A command sent without a request (by the service itself) acts for nobody, so every side refuses it.
        return carried is null
            ? new StepRequest(new Caller("unknown", Set([]), Set([]), Set([])), "", "")
            : new StepRequest(
                new Caller(carried.User, Set(carried.Roles), Set(carried.Organisations), Set(carried.Permissions)),
                carried.Key, carried.Fingerprint);
    }

    private static HashSet<string> Set(string[] values) => values.ToHashSet(StringComparer.Ordinal);

    private sealed record Carried(
        string User, string[] Roles, string[] Organisations, string[] Permissions, string Key, string Fingerprint);
}

/// <summary>
/// The one path every step on an existing journey takes, inside its aggregate handler (the stream locked, so
/// writers to one journey queue on every node and each decides on the state its predecessor left): a repeat under
/// an Idempotency-Key gets its first answer; the caller must be on the step's side; the step's rule decides; an
/// accepted event is returned for Wolverine to append, with the window-close check when it opens a window. The
/// key's record and the scheduled check commit in the same transaction as the event.
/// </summary>
public sealed class JourneyStep(StepRequest request, IDocumentSession session, IClock clock, ContinuityRules rules)
{
    public async Task<(StepAnswer, Events, OutgoingMessages)> TakeAsync(
        IJourneyCommand command, Journey? journey, Side side, Func<JourneyFacts, Decision> decide,
        CancellationToken cancellation)
    {
        var (events, messages) = (new Events(), new OutgoingMessages());
        if (journey is null)
        {
            return (StepRefused.Unknown(command.JourneyId), events, messages);
        }

        var (caller, key) = (request.Caller, request.IdempotencyKey);
        // Before the access check: a caller repeating their own request gets their own first answer, even if the
        // journey has since moved out of their hands. Nobody else's key is ever looked at.
        var keyId = IdempotentWrite.IdFor(journey.Id, caller, key);
        if (key.Length > 0 && await session.LoadAsync<IdempotentWrite>(keyId, cancellation) is { } earlier)
        {
            StepAnswer repeat = earlier.Fingerprint == request.Fingerprint
                ? new StepWritten(new JourneyWritten(journey.Id, earlier.Version, earlier.Stage))
                : new StepRefused(StepRefusal.Conflict, JourneyStepEndpoint.IdempotencyKeyHeader,
                    $"'{key}' was already used for a different request on this journey");
            return (repeat, events, messages);
        }

        if (!caller.MayAct(side, journey.Facts))
        {
            return (new StepRefused(StepRefusal.Forbidden, "", Caller.NotYours(side, journey.Id)), events, messages);
        }

        var (role, organisation) = caller.ActingAs(side, journey.Facts);
        Audit.Stamp(session, new RecordedBy(caller.User, role, organisation));

        var answer = decide(journey.Facts).Match<StepAnswer>(
            accepted: @event =>
            {
                events.Add(@event);
                var after = journey.Facts.Evolve(@event);
                if (WindowCloseCheck.DueAfter(journey.Facts, after, rules) is { } closesAt)
                {
                    WindowCloseCheck.Schedule(messages, journey.Id, closesAt, clock);
                }

                return Remember(new JourneyWritten(journey.Id, journey.Version + 1, after.Stage));
            },
            unchanged: () => Remember(new JourneyWritten(journey.Id, journey.Version, journey.Stage)),
            rejected: (field, reason) => new StepRefused(StepRefusal.Conflict, field, reason));
        return (answer, events, messages);

        StepAnswer Remember(JourneyWritten written)
        {
            if (key.Length > 0)
            {
                session.Insert(new IdempotentWrite
                {
                    Id = keyId, Fingerprint = request.Fingerprint, Version = written.Version, Stage = written.Stage,
                });
            }

            return new StepWritten(written);
        }
    }
}

/// <summary>
/// Gives every journey command's handler its <see cref="JourneyStep"/> (applied to them by a policy).
/// </summary>
public static class JourneyStepMiddleware
{
    /// <summary>Wolverine matches this to a chain by its first parameter, the message.</summary>
    public static JourneyStep Before(
        IJourneyCommand command, Envelope envelope, IDocumentSession session, IClock clock, ContinuityRules rules) =>
        new(StepRequest.From(envelope), session, clock, rules);
}

/// <summary>
/// The HTTP side of a step: read and check the body strictly, turn it into the step's command, and invoke that
/// command's handler with who is asking and the Idempotency-Key.
/// </summary>
public static class JourneyStepEndpoint
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static async Task<IResult> SendAsync<TRequest>(
        HttpRequest request, IMessageBus bus, IClock clock, Func<TRequest, LocalDate, IJourneyCommand> command,
        CancellationToken cancellation)
        where TRequest : class, ICheckedRequest
    {
        var today = LondonCalendar.Today(clock);
        var (body, problem) = await RequestBody.ReadCheckedAsync<TRequest>(request, today, cancellation);
        if (problem is not null)
        {
            return problem;
        }

        var key = request.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length > 0 && (key.Length > 100 || key.Any(c => c is < '!' or > '~')))
        {
            return Problems.Invalid(
                IdempotencyKeyHeader, "must be 1 to 100 printable ASCII characters without spaces");
        }

        // The fingerprint is of what was posted, not of the command: a date left to default to "today" is the same
        // request tomorrow.
        var asked = new StepRequest(
            Caller.Of(request.HttpContext), key, Fingerprint.Of(body!, request.Path.Value ?? ""));
        var answer = await bus.InvokeAsync<StepAnswer>(
            command(body!, today), asked.Delivery(Correlation.Of(request.HttpContext)), cancellation);
        return answer.ToResult();
    }
}
