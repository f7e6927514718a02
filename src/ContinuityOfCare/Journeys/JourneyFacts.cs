using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys.Corrections;
using ContinuityOfCare.Journeys.Erasure;
using ContinuityOfCare.Journeys.Exits;
using ContinuityOfCare.Journeys.Handover;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Journeys.ReleasePlanning;
using ContinuityOfCare.Journeys.TreatmentEnd;
using ContinuityOfCare.Journeys.TreatmentStart;
using ContinuityOfCare.Journeys.WindowClose;
using NodaTime;

namespace ContinuityOfCare.Journeys;

public enum JourneyStage
{
    InCustody,
    Released,
    InCommunityTreatment,
    TreatmentEnded,
    ReturnedToCustody,
    Deported,
    Died,
}

public enum HandoverStatus
{
    AwaitingAcknowledgement,
    Acknowledged,
    Declined,
}

/// <summary>Where the handover to community treatment stands, and with which provider.</summary>
public sealed record HandoverState(
    string Provider,
    HandoverStatus Status,
    LocalDate Since,
    LocalDate? FirstAppointmentOn = null,
    DeclineReason? DeclineReason = null)
{
    /// <summary>
    /// When the handover to this provider began (referral, redirect or release): nothing with it is earlier.
    /// </summary>
    public LocalDate HandedOverOn { get; init; } = Since;

    public static HandoverState To(string provider, LocalDate on) =>
        new(provider, HandoverStatus.AwaitingAcknowledgement, on);
}

/// <summary>
/// Everything recorded about a journey except who the person is: the one fold of the journey's events, used by the
/// write side's rules, by the analysts' cohort projection and by "as of" replays, so all three read events alike.
/// Immutable: <see cref="Evolve"/> returns the next state, which lets the rules try an event before accepting it.
/// </summary>
public sealed record JourneyFacts
{
    public string PrisonCode { get; init; } = "";

    public Sex Sex { get; init; }

    public int? BirthYear { get; init; }

    public SubstanceGroup SubstanceGroup { get; init; }

    public EntryPoint EntryPoint { get; init; }

    public LocalDate CustodyTreatmentStartedOn { get; init; }

    public LocalDate? ReleaseScheduledOn { get; init; }

    public LocalDate? LastTransferredOn { get; init; }

    public HandoverState? Handover { get; init; }

    public IReadOnlyList<LocalDate> AppointmentsBooked { get; init; } = [];

    public IReadOnlyList<LocalDate> AppointmentsMissed { get; init; } = [];

    public LocalDate? MetAtGateOn { get; init; }

    public ReleasedFromCustody? Release { get; init; }

    public LocalDate? CommunityTreatmentStartedOn { get; init; }

    public TreatmentEnding? TreatmentEnding { get; init; }

    public LocalDate? DiedOn { get; init; }

    public LocalDate? DeportedOn { get; init; }

    public ReturnedToCustody? ReturnedToCustody { get; init; }

    /// <summary>The window's last day when the window-close check found no pickup.</summary>
    public LocalDate? WindowLapsedAfter { get; init; }

    /// <summary>
    /// Why the window lapsed without a pickup, as the provider or prison recorded (and corrected) it.
    /// </summary>
    public LapseExplanation? WhyLapsed { get; init; }

    public JourneyStage Stage =>
        DiedOn is not null ? JourneyStage.Died
        : DeportedOn is not null ? JourneyStage.Deported
        : ReturnedToCustody is not null ? JourneyStage.ReturnedToCustody
        : TreatmentEnding is not null ? JourneyStage.TreatmentEnded
        : CommunityTreatmentStartedOn is not null ? JourneyStage.InCommunityTreatment
        : Release is not null ? JourneyStage.Released
        : JourneyStage.InCustody;

    /// <summary>No one acts on the journey any more, except to correct dates.</summary>
    public bool IsClosed => Stage is JourneyStage.Died or JourneyStage.Deported or JourneyStage.ReturnedToCustody;

    /// <summary>
    /// The community provider the journey is with: the latest handover's, else the one named at release.
    /// </summary>
    public string? Provider => Handover?.Provider ?? Release?.CommunityProvider;

    /// <summary>
    /// The provider that may act on the journey: the one holding the open handover. A provider that declined it, or
    /// that it was redirected away from, has no part in it any more.
    /// </summary>
    public string? HandedOverTo => Handover is { Status: not HandoverStatus.Declined } h ? h.Provider : null;

    public bool MetAtGate => MetAtGateOn is not null || Release?.MetAtGate == true;

    public ContinuityFacts? Continuity => Release is { } release
        ? new ContinuityFacts(
            release.ReleasedOn, CommunityTreatmentStartedOn, DiedOn, DeportedOn, ReturnedToCustody?.ReturnedOn,
            TreatmentEnding)
        : null;

    /// <summary>
    /// The one fold, for the journey, the analysts' cohort and as-of replays alike: the facts after
    /// <paramref name="event"/>, starting from the journey's opening; null before it.
    /// </summary>
    public static JourneyFacts? Fold(JourneyFacts? facts, object @event) => @event switch
    {
        JourneyOpened opened => Open(opened),
        IJourneyEvent journeyEvent => facts?.Evolve(journeyEvent),
        _ => facts,
    };

    public static JourneyFacts Open(JourneyOpened opened) => new()
    {
        PrisonCode = opened.PrisonCode,
        Sex = opened.Sex,
        BirthYear = opened.BirthYear,
        SubstanceGroup = opened.SubstanceGroup,
        EntryPoint = opened.EntryPoint ?? EntryPoint.CustodyTreatment,
        CustodyTreatmentStartedOn = opened.CustodyTreatmentStartedOn,
    };

    /// <summary>
    /// The state after <paramref name="event"/>; the opening leaves the facts as they are, and erasure masks the
    /// only free text they hold (as its masking rules do in the events).
    /// </summary>
    public JourneyFacts Evolve(IJourneyEvent @event) => @event switch
    {
        ReleaseScheduled s => this with { ReleaseScheduledOn = s.ReleaseOn },
        TransferredBetweenPrisons t => this with { PrisonCode = t.ToPrisonCode, LastTransferredOn = t.TransferredOn },
        ReferredToProvider r => this with { Handover = HandoverState.To(r.Provider, r.ReferredOn) },
        HandoverAcknowledged a => this with
        {
            Handover = HandoverWith(a.Provider, a.AcknowledgedOn) with
            {
                Status = HandoverStatus.Acknowledged, FirstAppointmentOn = a.FirstAppointmentOn,
            },
        },
        HandoverDeclined d => this with
        {
            Handover = HandoverWith(d.Provider, d.DeclinedOn) with
            {
                Status = HandoverStatus.Declined, DeclineReason = d.Reason,
            },
        },
        HandoverRedirected r => this with { Handover = HandoverState.To(r.ToProvider, r.RedirectedOn) },
        AppointmentBooked b => this with { AppointmentsBooked = [.. AppointmentsBooked, b.AppointmentOn] },
        AppointmentMissed m => this with { AppointmentsMissed = [.. AppointmentsMissed, m.AppointmentOn] },
        MetAtGate m => this with { MetAtGateOn = m.MetOn },
        ReleasedFromCustody r => this with
        {
            Release = r,
            // Naming a provider at release hands over to it, unless the handover is already with that provider.
            Handover = Handover is { Status: not HandoverStatus.Declined } h && h.Provider == r.CommunityProvider
                ? h
                : HandoverState.To(r.CommunityProvider, r.ReleasedOn),
        },
        CommunityTreatmentStarted s => this with { CommunityTreatmentStartedOn = s.StartedOn },
        TreatmentEnded e => this with { TreatmentEnding = new TreatmentEnding(e.EndedOn, e.Reason) },
        Died d => this with { DiedOn = d.DiedOn },
        Deported d => this with { DeportedOn = d.DeportedOn },
        ReturnedToCustody r => this with { ReturnedToCustody = r },
        DateCorrected c => Correct(c.Fact, c.CorrectedOn),
        ContinuityWindowLapsed l => this with { WindowLapsedAfter = l.WindowLastDay },
        LapseReasonRecorded r => this with { WhyLapsed = new LapseExplanation(r.Reason, r.Text, r.LearnedOn) },
        LapseReasonCorrected c => this with { WhyLapsed = new LapseExplanation(c.Reason, c.Text, c.LearnedOn) },
        IdentifyingDataErased when WhyLapsed is { Text: not null } why =>
            this with { WhyLapsed = why with { Text = IdentifyingDataErased.Placeholder } },
        _ => this,
    };

    /// <summary>
    /// The handover to <paramref name="provider"/> moved on <paramref name="on"/>: since then, in its new status.
    /// </summary>
    private HandoverState HandoverWith(string provider, LocalDate on) =>
        (Handover is { } h && h.Provider == provider ? h : HandoverState.To(provider, on)) with { Since = on };

    /// <summary>
    /// The date a correction of <paramref name="fact"/> would change, or null when nothing is recorded.
    /// </summary>
    public LocalDate? DateOf(CorrectableDate fact) => fact switch
    {
        CorrectableDate.CustodyTreatmentStart => CustodyTreatmentStartedOn,
        CorrectableDate.Release => Release?.ReleasedOn,
        CorrectableDate.CommunityTreatmentStart => CommunityTreatmentStartedOn,
        CorrectableDate.TreatmentEnd => TreatmentEnding?.EndedOn,
        CorrectableDate.Death => DiedOn,
        CorrectableDate.Deportation => DeportedOn,
        CorrectableDate.ReturnToCustody => ReturnedToCustody?.ReturnedOn,
        _ => null,
    };

    private JourneyFacts Correct(CorrectableDate fact, LocalDate date) => fact switch
    {
        CorrectableDate.CustodyTreatmentStart => this with { CustodyTreatmentStartedOn = date },
        CorrectableDate.Release when Release is { } r => this with { Release = r with { ReleasedOn = date } },
        CorrectableDate.CommunityTreatmentStart when CommunityTreatmentStartedOn is not null =>
            this with { CommunityTreatmentStartedOn = date },
        CorrectableDate.TreatmentEnd when TreatmentEnding is { } e =>
            this with { TreatmentEnding = e with { EndedOn = date } },
        CorrectableDate.Death when DiedOn is not null => this with { DiedOn = date },
        CorrectableDate.Deportation when DeportedOn is not null => this with { DeportedOn = date },
        CorrectableDate.ReturnToCustody when ReturnedToCustody is { } r =>
            this with { ReturnedToCustody = r with { ReturnedOn = date } },
        _ => this,
    };

    /// <summary>
    /// The first way the recorded dates contradict each other, or null. Every write is checked against the state it
    /// would produce, so a backdated event or a correction can never leave, say, a pickup before its release.
    /// </summary>
    public string? DateContradiction()
    {
        var release = Release?.ReleasedOn;
        var pickup = CommunityTreatmentStartedOn;
        var ending = TreatmentEnding?.EndedOn;
        var returned = ReturnedToCustody?.ReturnedOn;

        static string? Before(LocalDate? later, string laterName, LocalDate? earlier, string earlierName) =>
            later is { } l && earlier is { } e && l < e
                ? $"{laterName} ({l.Iso()}) would be before {earlierName} ({e.Iso()})"
                : null;

        return Before(release, "the release", CustodyTreatmentStartedOn, "custody treatment start")
            ?? Before(LastTransferredOn, "the last transfer", CustodyTreatmentStartedOn, "custody treatment start")
            ?? Before(Handover?.HandedOverOn, "the handover", CustodyTreatmentStartedOn, "custody treatment start")
            ?? Before(release, "the release", LastTransferredOn, "the last transfer")
            ?? Before(pickup, "the community treatment start", release, "the release")
            ?? Before(ending, "the treatment end", pickup, "the community treatment start")
            ?? Before(MetAtGateOn, "meeting at the gate", release, "the release")
            ?? Before(WhyLapsed?.LearnedOn, "learning why the window lapsed", release, "the release")
            ?? Before(returned, "the return to custody", release, "the release")
            ?? Before(DeportedOn, "the deportation", CustodyTreatmentStartedOn, "custody treatment start")
            ?? Before(DiedOn, "the death", CustodyTreatmentStartedOn, "custody treatment start")
            ?? Before(DiedOn, "the death", release, "the release")
            ?? Before(DiedOn, "the death", pickup, "the community treatment start")
            ?? Before(DiedOn, "the death", ending, "the treatment end")
            ?? Before(DeportedOn, "the deportation", pickup, "the community treatment start")
            ?? Before(returned, "the return to custody", pickup, "the community treatment start");
    }
}
