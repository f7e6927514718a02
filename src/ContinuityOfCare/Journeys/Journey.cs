using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys.Erasure;
using ContinuityOfCare.Journeys.Registration;
using JasperFx.Events;
using Marten.Events.Aggregation;
using NodaTime;

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

    // Worklist keys, derived from the facts and stored as indexed columns (JourneysModule) so that worklists filter,
    // count, order and page in the database. Only dates are stored: days left depend on today and are read-time.

    /// <summary>The provider whose handover inbox holds the journey: handed over, no pickup, not closed.</summary>
    public string? InboxOf =>
        Facts.CommunityTreatmentStartedOn is null && !Facts.IsClosed ? Facts.HandedOverTo : null;

    public LocalDate? ReleasedOn => Facts.Release?.ReleasedOn;

    /// <summary>The scheduled release date while the person waits in custody for it (journey not closed).</summary>
    public LocalDate? ReleaseDueOn => Facts.Release is null && !Facts.IsClosed ? Facts.ReleaseScheduledOn : null;

    /// <summary>
    /// The release date while no pickup and no lapse reason are recorded: the lapsed lists' key. Whether the window
    /// has closed, and whether an exit excludes the journey, depend on the rules and today, so are read-time.
    /// </summary>
    public LocalDate? UnexplainedReleaseOn =>
        Facts.WhyLapsed is null && Facts.Continuity is { Pickup: null } continuity ? continuity.ReleasedOn : null;

    /// <summary>Days from the release to each exit recorded, for the lapsed lists' exclusion filter.</summary>
    public ExitDays? DaysToExits => Facts.Continuity is { } c
        ? new ExitDays(DaysTo(c.DiedOn), DaysTo(c.DeportedOn), DaysTo(c.ReturnedToCustodyOn))
        : null;

    /// <summary>Raise it with any change to a key the worklists read: a new one, or a new way to derive one.</summary>
    public const int CurrentShape = 1;

    /// <summary>
    /// Which version of the keys above wrote the document. Documents written by an older version (no shape, or a
    /// lower one) may lack a key, so readiness names them until the Journey projection is rebuilt (JourneyShapeCheck).
    /// </summary>
    public int Shape => CurrentShape;

    private int? DaysTo(LocalDate? exit) =>
        exit is { } on ? ContinuityWindow.DayNumber(Facts.Release!.ReleasedOn, on) : null;
}

/// <summary>Days from a release to each exit (0 on the release date, negative before it); null when none.</summary>
public sealed record ExitDays(int? Died, int? Deported, int? ReturnedToCustody);

public sealed class JourneyProjection : SingleStreamProjection<Journey, Guid>
{
    public override Journey? Evolve(Journey? snapshot, Guid id, IEvent e)
    {
        if (JourneyFacts.Fold(snapshot?.Facts, e.Data) is not { } facts)
        {
            return null;
        }

        snapshot ??= new Journey { Id = id };
        snapshot.Facts = facts;
        switch (e.Data)
        {
            case JourneyOpened opened:
                (snapshot.JourneyRef, snapshot.PersonRef) = (opened.JourneyRef, opened.PersonRef);
                break;
            case IdentifyingDataErased:
                (snapshot.JourneyRef, snapshot.PersonRef) =
                    (IdentifyingDataErased.Placeholder, IdentifyingDataErased.Placeholder);
                break;
        }

        return snapshot;
    }
}
