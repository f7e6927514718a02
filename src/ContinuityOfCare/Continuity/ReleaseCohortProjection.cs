using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Journeys.TreatmentStart;
using Marten.Events.Aggregation;
using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// One row per journey with the facts the continuity figures are computed from: its release date, its pickup date
/// and the dimensions analysts break figures down by. Holds no person reference. Outcomes are not stored: they
/// depend on "today", so they are derived from these dates when asked, and pending turns into not engaged as days
/// pass without any new event.
/// </summary>
public sealed class ReleaseCohortEntry
{
    public Guid Id { get; set; }

    public string PrisonCode { get; set; } = "";

    public Sex Sex { get; set; }

    public int? BirthYear { get; set; }

    public SubstanceGroup SubstanceGroup { get; set; }

    /// <summary>Null until released; stored in its own indexed date column for period queries.</summary>
    public LocalDate? ReleasedOn { get; set; }

    public ReleaseType? ReleaseType { get; set; }

    public string? DestinationLocalAuthority { get; set; }

    public string? CommunityProvider { get; set; }

    public LocalDate? PickedUpOn { get; set; }
}

/// <summary>Run by the async daemon, so heavy analyst reads never slow down the prison and provider writes.</summary>
public sealed class ReleaseCohortProjection : SingleStreamProjection<ReleaseCohortEntry, Guid>
{
    public static ReleaseCohortEntry Create(JourneyOpened opened) => new()
    {
        PrisonCode = opened.PrisonCode,
        Sex = opened.Sex,
        BirthYear = opened.BirthYear,
        SubstanceGroup = opened.SubstanceGroup,
    };

    public static void Apply(ReleasedFromCustody released, ReleaseCohortEntry entry)
    {
        entry.ReleasedOn = released.ReleasedOn;
        entry.ReleaseType = released.ReleaseType;
        entry.DestinationLocalAuthority = released.DestinationLocalAuthority;
        entry.CommunityProvider = released.CommunityProvider;
    }

    public static void Apply(CommunityTreatmentStarted started, ReleaseCohortEntry entry) => entry.PickedUpOn = started.StartedOn;
}
