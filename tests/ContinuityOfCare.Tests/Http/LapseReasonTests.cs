using System.Net;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Tests.Support;
using ContinuityOfCare.Worklists;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// Why a window lapsed (POST /journeys/{id}/lapse-reason), the "lapsed, reason needed" worklists, the analysts' table
/// of reasons, and the release day on the worklists and as a breakdown. Today is 2026-11-23.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LapseReasonTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    // Released 2026-10-01 (a Thursday): the window closed on 2026-10-22.
    private static readonly LocalDate Lapsed = new(2026, 10, 1);

    [Fact]
    public async Task A_reason_is_recorded_once_the_window_lapsed_and_shows_on_the_journey()
    {
        var id = await Api.ReleasedAsync(Lapsed);

        var written = await Api.RecordAsync(id, "lapse-reason", new { reason = "no-contact-details" });

        var journey = await Api.JourneyAsync(id);
        Assert.Equal(journey.Version, written.Version);
        Assert.Equal("lapse_reason_recorded", journey.History[^1].Type);
        Assert.Equal(
            new LapseExplanation(LapseReason.NoContactDetails, null, new LocalDate(2026, 11, 23)), journey.WhyLapsed);
    }

    [Fact]
    public async Task Before_the_window_closes_or_after_a_pickup_the_answer_is_409_naming_the_field()
    {
        var open = await Api.ReleasedAsync(new LocalDate(2026, 11, 20));
        var problem = await Problem.AssertAsync(
            await Api.PostAsync(open, "lapse-reason", new { reason = "did-not-attend" }), HttpStatusCode.Conflict,
            "reason");
        Assert.Contains("the window is open until 2026-12-11", problem.GetProperty("detail").GetString());

        var pickedUp = await Api.ReleasedAsync(Lapsed, pickedUpOn: new LocalDate(2026, 10, 30)); // engaged late
        await Problem.AssertAsync(
            await Api.PostAsync(pickedUp, "lapse-reason", new { reason = "did-not-attend" }), HttpStatusCode.Conflict,
            "reason");

        var lapsed = await Api.ReleasedAsync(Lapsed);
        await Problem.AssertAsync(
            await Api.PostAsync(lapsed, "lapse-reason", new { reason = "moved-area", learnedOn = "2026-09-30" }),
            HttpStatusCode.Conflict, "learnedOn");
        Assert.Equal(3, await Service.EventCountAsync(lapsed)); // opened, released, lapsed: nothing more
    }

    [Fact]
    public async Task The_body_is_read_strictly()
    {
        var id = await Api.ReleasedAsync(Lapsed);
        await Problem.AssertAsync(
            await Api.PostAsync(id, "lapse-reason", new { reason = "other" }), HttpStatusCode.BadRequest, "text");
        await Problem.AssertAsync(
            await Api.PostAsync(id, "lapse-reason", new { reason = "moved-area", text = "Leeds" }),
            HttpStatusCode.BadRequest, "text");
        await Problem.AssertAsync(
            await Api.PostAsync(id, "lapse-reason", new { reason = "lost" }), HttpStatusCode.BadRequest, "reason");
        await Problem.AssertAsync(
            await Api.PostAsync(id, "lapse-reason", new { reason = "moved-area", why = "x" }),
            HttpStatusCode.BadRequest, "why");
    }

    [Fact]
    public async Task The_same_reason_again_changes_nothing_a_different_one_is_a_correction_and_keys_replay()
    {
        var id = await Api.ReleasedAsync(Lapsed);
        var first = await Api.RecordAsync(id, "lapse-reason", new { reason = "moved-area", learnedOn = "2026-11-02" });
        var events = await Service.EventCountAsync(id);

        var again = await Api.RecordAsync(id, "lapse-reason", new { reason = "moved-area" });
        Assert.Equal(first, again);
        Assert.Equal(events, await Service.EventCountAsync(id));

        var keyed = await Api.PostAsync(id, "lapse-reason", new { reason = "other", text = "sofa surfing" }, "k-1");
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        var replay = await Api.PostAsync(id, "lapse-reason", new { reason = "other", text = "sofa surfing" }, "k-1");
        Assert.Equal(await keyed.ReadAsync<ContinuityOfCare.Journeys.JourneyWritten>(),
            await replay.ReadAsync<ContinuityOfCare.Journeys.JourneyWritten>());
        await Problem.AssertAsync(
            await Api.PostAsync(id, "lapse-reason", new { reason = "in-hospital" }, "k-1"), HttpStatusCode.Conflict,
            "Idempotency-Key");

        var journey = await Api.JourneyAsync(id);
        Assert.Equal(["lapse_reason_recorded", "lapse_reason_corrected"],
            journey.History.Select(e => e.Type).Where(t => t.StartsWith("lapse_reason", StringComparison.Ordinal)));
        Assert.Equal(new LapseExplanation(LapseReason.Other, "sofa surfing", new LocalDate(2026, 11, 23)),
            journey.WhyLapsed);
    }

    [Fact]
    public async Task The_provider_handed_the_journey_and_the_releasing_prison_may_record_it_and_nobody_else()
    {
        var id = await Api.ReleasedAsync(Lapsed); // released from LEI to FORWARD-LEEDS
        var body = new { reason = "declined-treatment" };

        foreach (var (role, organisation) in new[]
            { ("prison", "WYI"), ("provider", "CGL-WAKEFIELD"), ("analyst", "OHID"), ("operator", "DPO") })
        {
            var client = Service.ClientAs(ServiceFactory.Token(role, organisation));
            var response = await client.PostAsync($"/api/v1/journeys/{id}/lapse-reason", Json.Body(body));
            await Problem.AssertAsync(response, HttpStatusCode.Forbidden);
        }

        var provider = Service.ClientAs(ServiceFactory.Token("provider", "FORWARD-LEEDS"));
        Assert.Equal(HttpStatusCode.OK,
            (await provider.PostAsync($"/api/v1/journeys/{id}/lapse-reason", Json.Body(body))).StatusCode);
        var prison = Service.ClientAs(ServiceFactory.Token("prison", "LEI"));
        Assert.Equal(HttpStatusCode.OK, (await prison.PostAsync(
            $"/api/v1/journeys/{id}/lapse-reason", Json.Body(new { reason = "referral-declined" }))).StatusCode);

        var history = await Api.JourneyAsync(id);
        Assert.Equal(
            [("provider", "FORWARD-LEEDS"), ("prison", "LEI")],
            history.History.Where(e => e.Type.StartsWith("lapse_reason", StringComparison.Ordinal))
                .Select(e => (e.RecordedBy!.Role, e.RecordedBy.Organisation)));
    }

    [Fact]
    public async Task The_worklists_hold_lapsed_journeys_without_a_reason_for_the_provider_and_the_prison()
    {
        var older = await Api.ReleasedAsync(new LocalDate(2026, 9, 4));
        var newer = await Api.ReleasedAsync(Lapsed);
        var explained = await Api.ReleasedAsync(Lapsed);
        await Api.RecordAsync(explained, "lapse-reason", new { reason = "moved-area" });
        await Api.ReleasedAsync(new LocalDate(2026, 11, 20));                                  // window open
        await Api.ReleasedAsync(Lapsed, pickedUpOn: new LocalDate(2026, 10, 30));              // picked up late
        var redirected = await Api.ReleasedAsync(Lapsed);
        await Api.RecordAsync(redirected, "handover-redirect", new { toProvider = "CGL-WAKEFIELD" });
        var elsewhere = await Api.OpenAsync(JourneyApi.Registration(prisonCode: "WYI"));
        await Api.RecordAsync(elsewhere, "release", JourneyApi.Release(Lapsed));

        var provider = await Api.GetAsync<LapsedReasonNeeded>("/api/v1/providers/FORWARD-LEEDS/lapsed-reason-needed");
        // Most recently closed first (2026-10-22, by journey reference), then the one closed on 2026-09-25.
        Assert.Equal([newer, elsewhere, older], provider.Journeys.Select(j => j.JourneyId));
        var item = provider.Journeys.Single(j => j.JourneyId == newer);
        Assert.Equal(
            (new LocalDate(2026, 10, 22), 32, ReleaseDay.Weekday),
            (item.WindowLastDay, item.DaysSinceWindowClosed, item.ReleaseDay));
        Assert.Equal(ReleaseDay.Friday, provider.Journeys[^1].ReleaseDay); // 2026-09-04

        var prison = await Api.GetAsync<LapsedReasonNeeded>("/api/v1/prisons/LEI/lapsed-reason-needed");
        Assert.Equal(
            new[] { newer, redirected, older }.Order(), prison.Journeys.Select(j => j.JourneyId).Order());
        var cgl = await Api.GetAsync<LapsedReasonNeeded>("/api/v1/providers/CGL-WAKEFIELD/lapsed-reason-needed");
        Assert.Equal([redirected], cgl.Journeys.Select(j => j.JourneyId));

        var outsider = Service.ClientAs(ServiceFactory.Token("provider", "CGL-WAKEFIELD"));
        await Problem.AssertAsync(
            await outsider.GetAsync("/api/v1/providers/FORWARD-LEEDS/lapsed-reason-needed"), HttpStatusCode.Forbidden);
        await Problem.AssertAsync(
            await Api.Client.GetAsync("/api/v1/prisons/not%20a%20code/lapsed-reason-needed"),
            HttpStatusCode.BadRequest, "prisonCode");
    }

    [Fact]
    public async Task Releases_due_and_the_inbox_flag_fridays_weekends_and_bank_holidays()
    {
        async Task<Guid> Scheduled(string on)
        {
            var id = await Api.OpenAsync();
            await Api.RecordAsync(id, "release-schedule", new { releaseOn = on });
            await Api.RecordAsync(id, "referral", new { referredOn = "2026-11-20", provider = "FORWARD-LEEDS" });
            return id;
        }

        var monday = await Scheduled("2026-11-30");
        var friday = await Scheduled("2026-11-27");
        var saturday = await Scheduled("2026-11-28");
        var christmasEve = await Scheduled("2026-12-24");
        var beyondTheList = await Scheduled("2029-06-01");

        var due = await Api.GetAsync<ReleasesDue>("/api/v1/prisons/LEI/releases-due?days=40");
        Assert.Equal(
            [(friday, ReleaseDay.Friday), (saturday, ReleaseDay.Weekend), (monday, ReleaseDay.Weekday),
             (christmasEve, ReleaseDay.BeforeBankHoliday)],
            due.Releases.Select(r => (r.JourneyId, r.ReleaseDay!.Value)));

        var inbox = await Api.GetAsync<HandoverInbox>("/api/v1/providers/FORWARD-LEEDS/handovers");
        var days = inbox.Handovers.ToDictionary(h => h.JourneyId, h => h.ReleaseDay);
        Assert.Equal(ReleaseDay.Friday, days[friday]);
        Assert.Null(days[beyondTheList]); // not a weekday: unknown, shown as such

        var released = await Api.ReleasedAsync(new LocalDate(2026, 11, 20)); // a Friday
        inbox = await Api.GetAsync<HandoverInbox>("/api/v1/providers/FORWARD-LEEDS/handovers");
        Assert.Equal(ReleaseDay.Friday, inbox.Handovers.Single(h => h.JourneyId == released).ReleaseDay);
    }

    [Fact]
    public async Task Analysts_see_not_engaged_journeys_by_reason_and_by_release_day_with_suppression()
    {
        // Lapsed: six released on Thursday 2026-10-01, four on Friday 2026-10-02 (and one picked up), two on Saturday.
        var thursday = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            thursday.Add(await Api.ReleasedAsync(Lapsed));
        }

        foreach (var (on, count) in new[] { (new LocalDate(2026, 10, 2), 4), (new LocalDate(2026, 10, 3), 2) })
        {
            for (var i = 0; i < count; i++)
            {
                await Api.ReleasedAsync(on);
            }
        }

        await Api.ReleasedAsync(new LocalDate(2026, 10, 2), pickedUpOn: new LocalDate(2026, 10, 5));
        Service.SetToday(new LocalDate(2026, 11, 24)); // the reasons come a day later
        await Api.RecordAsync(thursday[0], "lapse-reason", new { reason = "moved-area" });
        await Api.RecordAsync(thursday[1], "lapse-reason", new { reason = "moved-area" });
        await Api.RecordAsync(thursday[2], "lapse-reason", new { reason = "did-not-attend" });
        await Api.RecordAsync(thursday[2], "lapse-reason", new { reason = "in-hospital" }); // corrected
        await Service.CatchUpAsync();

        var report = await Api.GetAsync<LapseReasonReport>(
            "/api/v1/continuity/lapse-reasons?from=2026-10-01&to=2026-10-31&by=releaseDay");
        Assert.Equal((13, 12, 9), (report.Total.Released, report.Total.NotEngaged, report.Total.NoReason));
        Assert.Equal(0.75, report.Total.NoReasonShare);
        var reasons = report.Total.Reasons!.ToDictionary(r => r.Reason, r => r.Count);
        Assert.Equal(Enum.GetValues<LapseReason>().Length, reasons.Count);
        Assert.Equal(
            (2, 1, 0),
            (reasons[LapseReason.MovedArea], reasons[LapseReason.InHospital], reasons[LapseReason.DidNotAttend]));
        // The weekend's two are suppressed, and so the next smallest group (Friday's five) is too.
        Assert.Equal(
            [("friday", true), ("weekday", false), ("weekend", true)],
            report.Groups.Select(g => (g.Key, g.Suppressed)));
        Assert.Null(report.Groups[0].Reasons);
        Assert.Equal((6, 6, 3), (report.Groups[1].Released, report.Groups[1].NotEngaged, report.Groups[1].NoReason));

        // As known the day before the reasons were recorded: an as-of replay.
        var earlier = await Api.GetAsync<LapseReasonReport>(
            "/api/v1/continuity/lapse-reasons?from=2026-10-01&to=2026-10-31&asOf=2026-11-23");
        Assert.Equal((12, 12), (earlier.Total.NotEngaged, earlier.Total.NoReason));

        var csv = await Api.Client.SendAsync(new HttpRequestMessage(
            HttpMethod.Get, "/api/v1/continuity/lapse-reasons?from=2026-10-01&to=2026-10-31")
        {
            Headers = { { "Accept", "text/csv" } },
        });
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n');
        Assert.StartsWith("key,name,released,notEngaged,not-referred,referral-declined,", lines[0]);
        Assert.EndsWith(",other,noReason,noReasonShare,suppressed", lines[0]);
        Assert.Equal("all,,13,12,0,0,0,0,0,2,1,0,0,0,9,0.75,false", lines[1]);
    }

    [Fact]
    public async Task The_release_day_breakdown_is_refused_for_a_period_the_bank_holidays_do_not_cover()
    {
        var problem = await Problem.AssertAsync(
            await Api.Client.GetAsync("/api/v1/continuity?from=2014-04-01&to=2015-03-31&by=releaseDay"),
            HttpStatusCode.BadRequest, "by");
        Assert.Contains("2015-01-01 to 2028-12-28", problem.GetRawText());
        Assert.Equal(HttpStatusCode.OK,
            (await Api.Client.GetAsync("/api/v1/continuity?from=2014-04-01&to=2015-03-31&by=month")).StatusCode);
    }
}
