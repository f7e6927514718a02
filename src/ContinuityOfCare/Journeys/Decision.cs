using ContinuityOfCare.Continuity;

namespace ContinuityOfCare.Journeys;

/// <summary>What a journey's rules say to a request: the event to append, nothing (already recorded), or why not.</summary>
public abstract record Decision
{
    public static Decision Append(object @event) => new Accepted(@event);

    public static Decision Reject(string field, string reason) => new Rejected(field, reason);

    /// <summary>The journey already holds exactly this fact: answered 200 like the first time, nothing appended.</summary>
    public static Decision AlreadyRecorded { get; } = new Unchanged();

    /// <summary>Accepts <paramref name="event"/> unless the dates it would leave on the journey contradict each other.</summary>
    public static Decision AppendIfConsistent(JourneyFacts facts, object @event, string field) =>
        facts.Evolve(@event).DateContradiction() is { } contradiction ? Reject(field, contradiction) : Append(@event);

    /// <summary>409 when the journey has already ended by death, deportation or return to custody; otherwise null.</summary>
    public static Decision? IfClosed(JourneyFacts journey, string field) => journey.Stage switch
    {
        JourneyStage.Died => Reject(field, $"the person died on {journey.DiedOn!.Value.Iso()}: the journey is closed"),
        JourneyStage.Deported => Reject(field, $"the person was deported on {journey.DeportedOn!.Value.Iso()}: the journey is closed"),
        JourneyStage.ReturnedToCustody => Reject(
            field, $"the person returned to custody on {journey.ReturnedToCustody!.ReturnedOn.Iso()}: the journey is closed; open a new journey"),
        _ => null,
    };
}

public sealed record Accepted(object Event) : Decision;

public sealed record Unchanged : Decision;

/// <summary>Answered 409, naming the request field the conflict is about.</summary>
public sealed record Rejected(string Field, string Reason) : Decision;
