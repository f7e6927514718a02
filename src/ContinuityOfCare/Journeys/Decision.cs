namespace ContinuityOfCare.Journeys;

/// <summary>What a journey's rules say to a request: the events to append, or why the state does not allow it.</summary>
public abstract record Decision
{
    public static Decision Append(object @event) => new Accepted(@event);

    public static Decision Reject(string field, string reason) => new Rejected(field, reason);
}

public sealed record Accepted(object Event) : Decision;

/// <summary>Answered 409, naming the request field the conflict is about.</summary>
public sealed record Rejected(string Field, string Reason) : Decision;
