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
using JasperFx.Events.Projections;
using Marten;
using NpgsqlTypes;

namespace ContinuityOfCare.Journeys;

/// <summary>The journeys module's own Marten pieces: its events' stored names, erasure masking, the journey.</summary>
public static class JourneysModule
{
    /// <summary>
    /// Stored event names are part of the data: fixed here, so renaming a class cannot orphan recorded events. A test
    /// checks that every <see cref="IJourneyEvent"/> has one.
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, string> StoredNames = new Dictionary<Type, string>
    {
        [typeof(JourneyOpened)] = "journey_opened",
        [typeof(ReleaseScheduled)] = "release_scheduled",
        [typeof(TransferredBetweenPrisons)] = "transferred_between_prisons",
        [typeof(ReferredToProvider)] = "referred_to_provider",
        [typeof(HandoverAcknowledged)] = "handover_acknowledged",
        [typeof(HandoverDeclined)] = "handover_declined",
        [typeof(HandoverRedirected)] = "handover_redirected",
        [typeof(AppointmentBooked)] = "appointment_booked",
        [typeof(AppointmentMissed)] = "appointment_missed",
        [typeof(MetAtGate)] = "met_at_gate",
        [typeof(ReleasedFromCustody)] = "released_from_custody",
        [typeof(CommunityTreatmentStarted)] = "community_treatment_started",
        [typeof(TreatmentEnded)] = "treatment_ended",
        [typeof(Died)] = "died",
        [typeof(Deported)] = "deported",
        [typeof(ReturnedToCustody)] = "returned_to_custody",
        [typeof(DateCorrected)] = "date_corrected",
        [typeof(ContinuityWindowLapsed)] = "continuity_window_lapsed",
        [typeof(IdentifyingDataErased)] = "identifying_data_erased",
        [typeof(LapseReasonRecorded)] = "lapse_reason_recorded",
        [typeof(LapseReasonCorrected)] = "lapse_reason_corrected",
    };

    public const string InboxIndex = "mt_doc_journey_idx_inbox";

    public const string ReleasesDueIndex = "mt_doc_journey_idx_releases_due";

    public const string PrisonLapsedIndex = "mt_doc_journey_idx_prison_lapsed";

    public const string ProviderLapsedIndex = "mt_doc_journey_idx_provider_lapsed";

    public const string ShapeIndex = "mt_doc_journey_idx_shape";

    public static void AddJourneys(this StoreOptions opts)
    {
        foreach (var (type, name) in StoredNames)
        {
            opts.Events.MapEventType(type, name);
        }

        ErasureEndpoint.AddMaskingRules(opts);

        opts.Projections.Add<JourneyProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<Journey>()
            // The worklists' keys (see Journey): a provider's inbox, a prison's releases due and the lapsed lists
            // are index range scans in the worklists' own order, so a page costs the same at any number of journeys.
            .Duplicate(j => j.InboxOf!)
            .Duplicate(j => j.ReleasedOn!, "date", NpgsqlDbType.Date)
            .Duplicate(j => j.ReleaseDueOn!, "date", NpgsqlDbType.Date)
            .Duplicate(j => j.UnexplainedReleaseOn!, "date", NpgsqlDbType.Date)
            .Index([j => j.InboxOf!, j => j.ReleasedOn!, j => j.ReleaseDueOn!], i => i.Name = InboxIndex)
            .Index([j => j.Facts.PrisonCode, j => j.ReleaseDueOn!], i => i.Name = ReleasesDueIndex)
            .Index([j => j.Facts.PrisonCode, j => j.UnexplainedReleaseOn!], i => i.Name = PrisonLapsedIndex)
            .Index(
                [j => j.Facts.Handover!.Provider, j => j.UnexplainedReleaseOn!], i => i.Name = ProviderLapsedIndex)
            // Holds only documents an older version wrote: empty once they are rebuilt, so readiness reads nothing.
            .Index(j => j.Shape, i =>
            {
                i.Name = ShapeIndex;
                i.Predicate = JourneyShapeCheck.Older;
            });
        opts.Schema.For<JourneyReference>();
        opts.Schema.For<IdempotentWrite>();
    }
}
