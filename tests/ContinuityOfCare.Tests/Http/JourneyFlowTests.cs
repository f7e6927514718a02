using System.Net;
using System.Text.Json;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>One journey end to end through the real HTTP API, Wolverine endpoints and Marten event store.</summary>
[Collection(PostgresCollection.Name)]
public sealed class JourneyFlowTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    [Fact]
    public async Task A_journey_goes_from_custody_through_release_to_community_treatment()
    {
        var registration = await Api.RegisterAsync(
            JourneyApi.Registration("LEI-FLOW-1", substanceGroup: "non-opiate-and-alcohol", sex: "female"));
        Assert.Equal(HttpStatusCode.Created, registration.StatusCode);
        var journeyId = (await registration.ReadAsync<JourneyRegistered>()).JourneyId;
        Assert.Equal($"/api/v1/journeys/{journeyId}", registration.Headers.Location!.OriginalString);

        var opened = await Api.JourneyAsync(journeyId);
        Assert.Equal(JourneyStage.InCustody, opened.Stage);
        Assert.Equal(SubstanceGroup.NonOpiateAndAlcohol, opened.SubstanceGroup);
        Assert.Equal(Sex.Female, opened.Sex);
        Assert.Equal(new LocalDate(2025, 1, 6), opened.CustodyTreatmentStartedOn);
        Assert.Single(opened.History);

        var release = await Api.ReleaseAsync(journeyId, JourneyApi.Release(new LocalDate(2026, 11, 10)));
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        Assert.Equal(JourneyStage.Released, (await release.ReadAsync<JourneyWritten>()).Stage);

        var released = await Api.JourneyAsync(journeyId);
        Assert.Equal(new LocalDate(2026, 11, 10), released.Release!.ReleasedOn);
        Assert.Equal("E08000035", released.Release.DestinationLocalAuthority);
        var continuity = released.Continuity!;
        Assert.Equal(ReleaseOutcome.Pending, continuity.Outcome);
        Assert.Equal(new LocalDate(2026, 12, 1), continuity.WindowLastDay);
        Assert.Equal(8, continuity.DaysLeftInWindow); // today is 2026-11-23

        var start = await Api.StartTreatmentAsync(journeyId, JourneyApi.TreatmentStart(new LocalDate(2026, 11, 20)));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);

        var engaged = await Api.JourneyAsync(journeyId);
        Assert.Equal(JourneyStage.InCommunityTreatment, engaged.Stage);
        Assert.Equal(new LocalDate(2026, 11, 20), engaged.CommunityTreatmentStartedOn);
        Assert.Equal(ReleaseOutcome.Engaged, engaged.Continuity!.Outcome);
        Assert.Equal(10, engaged.Continuity.DaysFromReleaseToPickup);
        Assert.Equal(3, engaged.Version);

        var history = engaged.History;
        Assert.Equal(
            ["journey_opened", "released_from_custody", "community_treatment_started"], history.Select(h => h.Type));
        Assert.Equal([1L, 2L, 3L], history.Select(h => h.Version));
        Assert.All(history, h => Assert.Equal(ServiceFactory.Start, h.RecordedAt));
        Assert.Equal("2026-11-20", ((JsonElement)history[2].Data).GetProperty("startedOn").GetString());
    }

    [Fact]
    public async Task
        Repeating_a_registration_returns_the_same_journey_and_a_different_one_under_its_reference_is_refused()
    {
        var body = JourneyApi.Registration("LEI-REPEAT-1");
        var first = await Api.RegisterAsync(body);
        var repeat = await Api.RegisterAsync(body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        var id = (await first.ReadAsync<JourneyRegistered>()).JourneyId;
        Assert.Equal(id, (await repeat.ReadAsync<JourneyRegistered>()).JourneyId);
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);

        var events = await Service.EventCountAsync();
        var different = await Api.RegisterAsync(JourneyApi.Registration("LEI-REPEAT-1", substanceGroup: "alcohol"));
        await Problem.AssertAsync(different, HttpStatusCode.Conflict, "journeyRef");
        Assert.Equal(events, await Service.EventCountAsync());
    }

    [Fact]
    public async Task Identical_registrations_racing_open_one_journey()
    {
        var body = JourneyApi.Registration("LEI-RACE-1");
        var responses = Array.Empty<HttpResponseMessage>();
        await Service.TrackAsync(async () =>
            responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Api.RegisterAsync(body))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(
            r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.ReadAsync<JourneyRegistered>()).JourneyId));
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public async Task A_second_release_is_a_conflict_and_writes_nothing()
    {
        var journeyId = await Api.ReleasedAsync(new LocalDate(2026, 11, 10)); // inside the window: no lapse check

        var again = await Api.ReleaseAsync(journeyId, JourneyApi.Release(new LocalDate(2026, 11, 11)));
        var problem = await Problem.AssertAsync(again, HttpStatusCode.Conflict, "releasedOn");
        Assert.Contains("already released on 2026-11-10", problem.GetProperty("detail").GetString());
        Assert.Equal(2, (await Api.JourneyAsync(journeyId)).History.Count);
    }

    [Fact]
    public async Task Treatment_cannot_start_before_any_release()
    {
        var journeyId = await Api.OpenAsync();
        await Api.RecordAsync(journeyId, "referral", new { referredOn = "2026-10-01", provider = "FORWARD-LEEDS" });

        var start = await Api.StartTreatmentAsync(journeyId, JourneyApi.TreatmentStart(new LocalDate(2026, 11, 1)));
        await Problem.AssertAsync(start, HttpStatusCode.Conflict, "startedOn");
        Assert.Equal(2, (await Api.JourneyAsync(journeyId)).History.Count);
    }

    [Fact]
    public async Task Treatment_cannot_start_before_the_release_date_or_twice()
    {
        // Released inside the window, so the service's own window-close check adds nothing to the history.
        var journeyId = await Api.ReleasedAsync(new LocalDate(2026, 11, 10));

        await Problem.AssertAsync(
            await Api.StartTreatmentAsync(journeyId, JourneyApi.TreatmentStart(new LocalDate(2026, 11, 9))),
            HttpStatusCode.Conflict, "startedOn");
        Assert.Equal(HttpStatusCode.OK, (await Api.StartTreatmentAsync(
            journeyId, JourneyApi.TreatmentStart(new LocalDate(2026, 11, 12)))).StatusCode);
        await Problem.AssertAsync(
            await Api.StartTreatmentAsync(journeyId, JourneyApi.TreatmentStart(new LocalDate(2026, 11, 13))),
            HttpStatusCode.Conflict, "startedOn");
        Assert.Equal(3, (await Api.JourneyAsync(journeyId)).History.Count);
    }

    [Fact]
    public async Task Two_providers_racing_to_record_a_pickup_record_exactly_one()
    {
        var journeyId = await Api.ReleasedAsync(new LocalDate(2026, 11, 10)); // inside the window: no lapse check

        var responses = Array.Empty<HttpResponseMessage>();
        await Service.TrackAsync(async () => responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Api.StartTreatmentAsync(journeyId, JourneyApi.TreatmentStart(new LocalDate(2026, 11, 11 + i))))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(3, (await Api.JourneyAsync(journeyId)).History.Count);
    }

    [Fact]
    public async Task An_unknown_journey_is_404()
    {
        var unknown = Guid.NewGuid();
        await Problem.AssertAsync(await Api.Client.GetAsync($"/api/v1/journeys/{unknown}"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(
            await Api.ReleaseAsync(unknown, JourneyApi.Release(new LocalDate(2026, 11, 1))), HttpStatusCode.NotFound);
        await Problem.AssertAsync(
            await Api.StartTreatmentAsync(unknown, JourneyApi.TreatmentStart(new LocalDate(2026, 11, 1))),
            HttpStatusCode.NotFound);
        Assert.Equal(
            HttpStatusCode.NotFound, (await Api.Client.GetAsync("/api/v1/journeys/not-a-journey-id")).StatusCode);
    }

    [Fact]
    public async Task The_caller_s_correlation_id_is_kept_with_the_event()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/journeys")
        {
            Content = Json.Body(JourneyApi.Registration()),
        };
        request.Headers.Add("X-Correlation-Id", "prison-system-batch-42");
        var response = await Api.Client.SendAsync(request);
        var journeyId = (await response.ReadAsync<JourneyRegistered>()).JourneyId;

        var history = (await Api.JourneyAsync(journeyId)).History;
        Assert.Equal("prison-system-batch-42", history[0].CorrelationId);
    }

    [Fact]
    public async Task Health_answers_when_the_database_does()
    {
        var response = await Api.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.ReadJsonAsync();
        Assert.Equal("ok", health.GetProperty("status").GetString());
        // The test's own database reached the service: it did not fall back to the embedded default.
        Assert.False(health.GetProperty("embeddedDatabase").GetBoolean());
    }
}
