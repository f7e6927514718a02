using ContinuityOfCare.Continuity;

namespace ContinuityOfCare.Journeys;

/// <summary>
/// What a journey's rules say to a request, in one vocabulary: <see cref="Accepted"/> (the event to append),
/// <see cref="Unchanged"/> (the journey already holds exactly this fact) or <see cref="Rejected"/> (409, and why).
/// The hierarchy is closed: <see cref="Match"/> is how a decision is read, so no reader needs a default case.
/// </summary>
public abstract record Decision
{
    private protected Decision()
    {
    }

    public static Decision Accept(IJourneyEvent @event) => new Accepted(@event);

    public static Decision Reject(string field, string reason) => new Rejected(field, reason);

    /// <summary>Answered 200 like the first time, with nothing appended.</summary>
    public static Decision Unchanged { get; } = new Unchanged();

    /// <summary>
    /// Accepts <paramref name="event"/> unless the dates it would leave on the journey contradict each other.
    /// </summary>
    public static Decision AcceptIfConsistent(JourneyFacts facts, IJourneyEvent @event, string field) =>
        facts.Evolve(@event).DateContradiction() is { } contradiction ? Reject(field, contradiction) : Accept(@event);

    /// <summary>
    /// 409 when the journey has already ended by death, deportation or return to custody; otherwise null.
    /// </summary>
    public static Decision? IfClosed(JourneyFacts journey, string field) => journey.Stage switch
    {
        JourneyStage.Died => Reject(field, $"the person died on {journey.DiedOn!.Value.Iso()}: the journey is closed"),
        JourneyStage.Deported => Reject(
            field, $"the person was deported on {journey.DeportedOn!.Value.Iso()}: the journey is closed"),
        JourneyStage.ReturnedToCustody => Reject(
            field,
            $"the person returned to custody on {journey.ReturnedToCustody!.ReturnedOn.Iso()}: the journey is " +
            "closed; open a new journey"),
        _ => null,
    };

    public abstract T Match<T>(Func<IJourneyEvent, T> accepted, Func<T> unchanged, Func<string, string, T> rejected);
}

public sealed record Accepted(IJourneyEvent Event) : Decision
{
    public override T Match<T>(Func<IJourneyEvent, T> accepted, Func<T> unchanged, Func<string, string, T> rejected) =>
        accepted(Event);
}

public sealed record Unchanged : Decision
{
    public override T Match<T>(Func<IJourneyEvent, T> accepted, Func<T> unchanged, Func<string, string, T> rejected) =>
        unchanged();
}

/// <summary>Answered 409, naming the request field the conflict is about.</summary>
public sealed record Rejected(string Field, string Reason) : Decision
{
    public override T Match<T>(Func<IJourneyEvent, T> accepted, Func<T> unchanged, Func<string, string, T> rejected) =>
        rejected(Field, Reason);
}
