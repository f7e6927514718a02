using ContinuityOfCare.Journeys;
using JasperFx.Events;
using Marten.Events.Aggregation;
using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// One row per journey with the facts the analyst figures are computed from, folded by the same
/// <see cref="JourneyFacts.Evolve"/> as the journey itself. Holds no journey or person reference. Outcomes are not
/// stored: they depend on "today", so they are derived from the dates when asked, and pending turns into not engaged
/// as days pass without any new event.
/// </summary>
public sealed class ReleaseCohortEntry
{
    public Guid Id { get; set; }

    public JourneyFacts Facts { get; set; } = new();

    /// <summary>The current release date, in its own indexed column for period queries; null until released.</summary>
    public LocalDate? ReleasedOn { get; set; }

    /// <summary>
    /// Every release date ever recorded (corrections included) lies in [Earliest, Latest]: "as of" replays look there.
    /// </summary>
    public LocalDate? EarliestReleasedOn { get; set; }

    public LocalDate? LatestReleasedOn { get; set; }
}

/// <summary>Run by the async daemon, so heavy analyst reads never slow down the prison and provider writes.</summary>
public sealed class ReleaseCohortProjection : SingleStreamProjection<ReleaseCohortEntry, Guid>
{
    public override ReleaseCohortEntry? Evolve(ReleaseCohortEntry? snapshot, Guid id, IEvent e)
    {
        if (JourneyFacts.Fold(snapshot?.Facts, e.Data) is not { } facts)
        {
            return null;
        }

        snapshot ??= new ReleaseCohortEntry { Id = id };
        snapshot.Facts = facts;
        if (snapshot.Facts.Release?.ReleasedOn is { } released)
        {
            snapshot.ReleasedOn = released;
            snapshot.EarliestReleasedOn = snapshot.EarliestReleasedOn is { } earliest && earliest < released
                ? earliest
                : released;
            snapshot.LatestReleasedOn = snapshot.LatestReleasedOn is { } latest && latest > released
                ? latest
                : released;
        }

        return snapshot;
    }
}
