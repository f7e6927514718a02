using ContinuityOfCare.Journeys.Erasure;
using ContinuityOfCare.Journeys.Registration;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ContinuityOfCare.Journeys;

/// <summary>
/// One journey as the prison and provider see it: who the person is, and the facts folded from the stream. Kept as
/// an inline projection so reads and the write side's rules see every committed event immediately.
/// </summary>
public sealed class Journey
{
    public Guid Id { get; set; }

    /// <summary>Stream version, set by Marten: the number of events folded in.</summary>
    public long Version { get; set; }

    public string JourneyRef { get; set; } = "";

    public string PersonRef { get; set; } = "";

    public JourneyFacts Facts { get; set; } = new();

    public JourneyStage Stage => Facts.Stage;
}

public sealed class JourneyProjection : SingleStreamProjection<Journey, Guid>
{
    public override Journey? Evolve(Journey? snapshot, Guid id, IEvent e)
    {
        if (e.Data is JourneyOpened opened)
        {
            return new Journey { Id = id, JourneyRef = opened.JourneyRef, PersonRef = opened.PersonRef, Facts = JourneyFacts.Open(opened) };
        }

        if (snapshot is null)
        {
            return null;
        }

        if (e.Data is IdentifyingDataErased)
        {
            snapshot.JourneyRef = ErasureEndpoint.Erased;
            snapshot.PersonRef = ErasureEndpoint.Erased;
        }

        snapshot.Facts = snapshot.Facts.Evolve(e.Data);

        return snapshot;
    }
}
