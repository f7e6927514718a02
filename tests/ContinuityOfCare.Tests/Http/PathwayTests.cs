using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys;
using System.Net;
using System.Text.Json;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// The whole custody-to-community pathway through HTTP, and the 409s that say why a step is not allowed.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PathwayTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    [Fact]
    public async Task A_journey_goes_through_the_gate_into_treatment_and_its_history_keeps_every_step()
    {
        var id = await Api.OpenAsync(JourneyApi.Registration(entryPoint: "court-order"));
        await Api.RecordAsync(id, "release-schedule", new { releaseOn = "2026-11-30" });
        await Api.RecordAsync(id, "release-schedule", new { releaseOn = "2026-11-10" }); // rescheduled earlier
        await Api.RecordAsync(id, "transfer", new { transferredOn = "2026-10-01", toPrisonCode = "WYI" });
        await Api.RecordAsync(id, "referral", new { referredOn = "2026-10-20", provider = "FORWARD-LEEDS" });
        await Api.RecordAsync(
            id, "handover-acknowledgement", new { firstAppointmentOn = "2026-11-12", acknowledgedOn = "2026-10-22" });
        await Api.RecordAsync(id, "appointment", new { appointmentOn = "2026-11-14" });
        await Api.RecordAsync(id, "release", JourneyApi.Release(new LocalDate(2026, 11, 10)));
        await Api.RecordAsync(id, "met-at-gate", new { metOn = "2026-11-10" });
        await Api.RecordAsync(id, "missed-appointment", new { appointmentOn = "2026-11-12" });
        var pickup = await Api.RecordAsync(id, "community-treatment-start", new { startedOn = "2026-11-14" });
        Assert.Equal(new JourneyWritten(id, 11, JourneyStage.InCommunityTreatment), pickup);
        var ended = await Api.RecordAsync(id, "treatment-end", new { endedOn = "2026-11-20", reason = "dropped-out" });
        Assert.Equal(JourneyStage.TreatmentEnded, ended.Stage);

        var journey = await Api.JourneyAsync(id);
        Assert.Equal(JourneyStage.TreatmentEnded, journey.Stage);
        Assert.Equal(EntryPoint.CourtOrder, journey.EntryPoint);
        Assert.Equal("WYI", journey.PrisonCode);
        Assert.Equal(new LocalDate(2026, 11, 10), journey.ReleaseScheduledOn);
        var handover = journey.Handover!;
        Assert.Equal("FORWARD-LEEDS", handover.Provider);
        Assert.Equal(HandoverStatus.Acknowledged, handover.Status);
        Assert.Equal(new LocalDate(2026, 11, 12), handover.FirstAppointmentOn);
        Assert.Equal([new LocalDate(2026, 11, 14)], journey.AppointmentsBooked);
        Assert.Equal([new LocalDate(2026, 11, 12)], journey.AppointmentsMissed);
        Assert.True(journey.MetAtGate);
        Assert.Equal(TreatmentEndReason.DroppedOut, journey.TreatmentEnding!.Reason);

        var continuity = journey.Continuity!;
        Assert.Equal(ReleaseOutcome.Engaged, continuity.Outcome);
        Assert.Equal(4, continuity.DaysFromReleaseToPickup);
        Assert.Equal(new LocalDate(2027, 2, 2), continuity.RetentionHorizon);
        Assert.Equal(RetentionOutcome.NotRetained, continuity.Retention);

        Assert.Equal(
            ["journey_opened", "release_scheduled", "release_scheduled", "transferred_between_prisons",
             "referred_to_provider", "handover_acknowledged", "appointment_booked", "released_from_custody",
             "met_at_gate", "appointment_missed", "community_treatment_started", "treatment_ended"],
            journey.History.Select(e => e.Type));
    }

    [Fact]
    public async Task A_correction_changes_the_figures_and_the_history_keeps_the_original_and_the_correction()
    {
        // day 24: late
        var id = await Api.ReleasedAsync(new LocalDate(2026, 10, 1), pickedUpOn: new LocalDate(2026, 10, 25));
        Assert.Equal(ReleaseOutcome.EngagedLate, (await Api.JourneyAsync(id)).Continuity!.Outcome);

        await Api.RecordAsync(
            id, "corrections",
            new
            {
                fact = "release", correctedOn = "2026-10-05", reason = "release date keyed from the wrong licence"
            });

        var journey = await Api.JourneyAsync(id);
        Assert.Equal(new LocalDate(2026, 10, 5), journey.Release!.ReleasedOn);
        Assert.Equal(ReleaseOutcome.Engaged, journey.Continuity!.Outcome);
        var history = journey.History;
        Assert.Equal("2026-10-01", ((JsonElement)history[1].Data).GetProperty("releasedOn").GetString());
        var correction = (JsonElement)history[^1].Data;
        Assert.Equal("date_corrected", history[^1].Type);
        Assert.Equal("release", correction.GetProperty("fact").GetString());
        Assert.Equal("2026-10-01", correction.GetProperty("wasOn").GetString());
        Assert.Equal("2026-10-05", correction.GetProperty("correctedOn").GetString());
        Assert.Equal("release date keyed from the wrong licence", correction.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Deaths_deportations_and_returns_to_custody_before_pickup_are_excluded_and_reported_by_reason()
    {
        var died = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        await Api.RecordAsync(died, "death", new { diedOn = "2026-11-05" });
        var deported = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        await Api.RecordAsync(deported, "deportation", new { deportedOn = "2026-11-02" });
        var recalled = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        var back = await Api.RecordAsync(
            recalled, "return-to-custody", new { returnedOn = "2026-11-08", reason = "recall" });
        Assert.Equal(JourneyStage.ReturnedToCustody, back.Stage);
        var pickedUpFirst = await Api.ReleasedAsync(
            new LocalDate(2026, 11, 1), pickedUpOn: new LocalDate(2026, 11, 3));
        await Api.RecordAsync(
            pickedUpFirst, "return-to-custody", new { returnedOn = "2026-11-08", reason = "remand" });
        await Api.ReleasedAsync(new LocalDate(2026, 11, 1)); // no pickup, window closed on the 22nd: not engaged

        var standing = (await Api.JourneyAsync(died)).Continuity!;
        Assert.Equal((ReleaseOutcome.Excluded, ExclusionReason.Died), (standing.Outcome, standing.ExclusionReason));
        await Service.CatchUpAsync();
        var total = (await Api.ContinuityAsync("2026-11-01", "2026-11-01")).Total;
        Assert.Equal(3, total.Excluded);
        Assert.Equal(1, total.Engaged);
        Assert.Equal(new ExcludedByReason(1, 1, 1), total.ExcludedByReason);
        Assert.Equal(1, total.NotEngaged);
        Assert.Equal(0.5, total.Rate);
    }

    public static TheoryData<bool, string, object, string, string> Refusals => new()
    {
        // on a journey in custody (referred to FORWARD-LEEDS, so its
        // provider may act), action, body, field named, reason
        { true, "community-treatment-start", new { startedOn = "2026-11-20" }, "startedOn", "no release yet" },
        { true, "missed-appointment", new { appointmentOn = "2026-11-20" }, "appointmentOn", "no release yet" },
        { true, "met-at-gate", new { metOn = "2026-11-20" }, "metOn", "no release yet" },
        { true, "treatment-end", new { endedOn = "2026-11-20", reason = "completed" }, "endedOn", "has not started" },
        { true, "appointment", new { appointmentOn = "2026-11-30" }, "appointmentOn", "not been acknowledged" },
        { true, "referral", new { referredOn = "2026-11-20", provider = "CGL" }, "provider",
            "redirect the handover instead" },
        { false, "handover-redirect", new { toProvider = "CGL" }, "toProvider", "no open handover" },
        { false, "return-to-custody", new { returnedOn = "2026-11-20", reason = "recall" }, "returnedOn",
            "still in custody" },
        { false, "corrections", new { fact = "release", correctedOn = "2026-11-20", reason = "typo" }, "fact",
            "no release date" },
        { false, "release", JourneyApi.Release(new LocalDate(2025, 1, 5)), "releasedOn",
            "before custody treatment start" },
        { false, "release-schedule", new { releaseOn = "2024-12-31" }, "releaseOn",
            "before custody treatment started" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_step_the_journey_s_state_does_not_allow_is_a_409_that_says_why(
        bool referred, string action, object body, string field, string reason)
    {
        var id = await Api.OpenAsync();
        if (referred)
        {
            await Api.RecordAsync(id, "referral", new { referredOn = "2026-11-01", provider = "FORWARD-LEEDS" });
        }

        var before = await Service.EventCountAsync();

        var problem = await Problem.AssertAsync(await Api.PostAsync(id, action, body), HttpStatusCode.Conflict, field);

        Assert.Contains(reason, problem.GetProperty("detail").GetString());
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_closed_journey_refuses_new_steps_but_accepts_corrections()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        await Api.RecordAsync(id, "return-to-custody", new { returnedOn = "2026-11-08", reason = "new-sentence" });

        var refused = await Problem.AssertAsync(
            await Api.PostAsync(id, "referral", new { referredOn = "2026-11-09", provider = "CGL" }),
            HttpStatusCode.Conflict, "provider");
        Assert.Contains("returned to custody on 2026-11-08", refused.GetProperty("detail").GetString());
        await Api.RecordAsync(
            id, "corrections",
            new { fact = "return-to-custody", correctedOn = "2026-11-07", reason = "date from the warrant" });
        Assert.Equal(new LocalDate(2026, 11, 7), (await Api.JourneyAsync(id)).ReturnedToCustody!.ReturnedOn);
    }

    [Fact]
    public async Task An_identical_repeat_of_a_recorded_fact_answers_200_and_appends_nothing()
    {
        // Released inside the window, so the service's own window-close check adds nothing meanwhile.
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 10));
        var before = await Service.EventCountAsync();

        var again = await Api.RecordAsync(id, "release", JourneyApi.Release(new LocalDate(2026, 11, 10)));

        Assert.Equal(2, again.Version);
        Assert.Equal(before, await Service.EventCountAsync());
        await Problem.AssertAsync(
            await Api.PostAsync(id, "release", JourneyApi.Release(new LocalDate(2026, 11, 11))),
            HttpStatusCode.Conflict, "releasedOn");
    }

    [Theory]
    [InlineData("release-schedule", """{"releaseOn":"2032-01-01"}""", "releaseOn")]
    [InlineData("transfer", """{"transferredOn":"2026-10-01","toPrisonCode":"W Y I"}""", "toPrisonCode")]
    [InlineData("handover-decline", """{"reason":"too-busy"}""", "reason")]
    [InlineData("treatment-end", """{"endedOn":"2026-11-20","reason":"Completed"}""", "reason")]
    [InlineData("return-to-custody", """{"returnedOn":"2026-11-24","reason":"recall"}""", "returnedOn")]
    [InlineData("corrections", """{"fact":"release","correctedOn":"2026-11-01","reason":""}""", "reason")]
    [InlineData("corrections", """{"fact":"birthday","correctedOn":"2026-11-01","reason":"x"}""", "fact")]
    [InlineData("death", """{"diedOn":"2026-11-01","cause":"x"}""", "cause")]
    public async Task Malformed_pathway_requests_are_400s_naming_the_field(string action, string json, string field)
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        var before = await Service.EventCountAsync();
        var response = await Api.Client.PostAsync($"/api/v1/journeys/{id}/{action}", Json.Body(json));
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task Every_pathway_step_on_an_unknown_journey_is_a_404()
    {
        foreach (var action in new[] { "release-schedule", "referral", "death", "corrections" })
        {
            var response = await Api.PostAsync(Guid.NewGuid(), action, new
            {
                releaseOn = "2026-12-01", referredOn = "2026-11-01", provider = "CGL", diedOn = "2026-11-01",
                fact = "death", correctedOn = "2026-11-01", reason = "x",
            });
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, action);
        }

        await Problem.AssertAsync(
            await Api.PostAsync(Guid.NewGuid(), "death", new { diedOn = "2026-11-01" }), HttpStatusCode.NotFound);
    }
}
