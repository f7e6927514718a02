using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Journeys.TreatmentStart;
using NodaTime;

namespace ContinuityOfCare.Journeys;

public enum JourneyStage
{
    InCustody,
    Released,
    InCommunityTreatment,
}

/// <summary>
/// The current state of one journey, folded from its stream. Kept as an inline snapshot so reads and the write
/// side's checks see every committed event immediately.
/// </summary>
public sealed class Journey
{
    public Guid Id { get; set; }

    /// <summary>Stream version, set by Marten: the number of events folded in.</summary>
    public long Version { get; set; }

    public string JourneyRef { get; set; } = "";

    public string PersonRef { get; set; } = "";

    public string PrisonCode { get; set; } = "";

    public Sex Sex { get; set; }

    public int? BirthYear { get; set; }

    public SubstanceGroup SubstanceGroup { get; set; }

    public LocalDate CustodyTreatmentStartedOn { get; set; }

    public JourneyStage Stage { get; set; }

    public ReleasedFromCustody? Release { get; set; }

    public LocalDate? CommunityTreatmentStartedOn { get; set; }

    public static Journey Create(JourneyOpened opened) => new()
    {
        JourneyRef = opened.JourneyRef,
        PersonRef = opened.PersonRef,
        PrisonCode = opened.PrisonCode,
        Sex = opened.Sex,
        BirthYear = opened.BirthYear,
        SubstanceGroup = opened.SubstanceGroup,
        CustodyTreatmentStartedOn = opened.CustodyTreatmentStartedOn,
        Stage = JourneyStage.InCustody,
    };

    public void Apply(ReleasedFromCustody released)
    {
        Release = released;
        Stage = JourneyStage.Released;
    }

    public void Apply(CommunityTreatmentStarted started)
    {
        CommunityTreatmentStartedOn = started.StartedOn;
        Stage = JourneyStage.InCommunityTreatment;
    }
}
