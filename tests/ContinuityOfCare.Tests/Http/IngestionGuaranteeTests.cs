using ContinuityOfCare.Journeys;
using System.Net;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>Idempotency-Key on every journey POST, and racing writers on one journey.</summary>
[Collection(PostgresCollection.Name)]
public sealed class IngestionGuaranteeTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    [Fact]
    public async Task A_repeat_under_the_same_key_gets_the_first_answer_and_writes_nothing()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        var answer = await Api.PostAsync(
            id, "missed-appointment", new { appointmentOn = "2026-11-05" }, idempotencyKey: "visit-881");
        var before = await Service.EventCountAsync();
        var repeat = await Api.PostAsync(
            id, "missed-appointment", new { appointmentOn = "2026-11-05" }, idempotencyKey: "visit-881");

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(await answer.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task The_first_answer_is_returned_even_after_the_journey_has_moved_on()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        var first = await (
                await Api.PostAsync(id, "community-treatment-start", new { startedOn = "2026-11-04" }, "pickup-1"))
            .Content.ReadAsStringAsync();
        await Api.RecordAsync(id, "treatment-end", new { endedOn = "2026-11-20", reason = "completed" });

        var repeat = await Api.PostAsync(
            id, "community-treatment-start", new { startedOn = "2026-11-04" }, "pickup-1");

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(first, await repeat.Content.ReadAsStringAsync());
        Assert.Contains("in-community-treatment", first);
    }

    [Fact]
    public async Task A_different_request_under_a_used_key_is_a_409_and_writes_nothing()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        await Api.PostAsync(id, "missed-appointment", new { appointmentOn = "2026-11-05" }, "k-1");
        var before = await Service.EventCountAsync();

        await Problem.AssertAsync(
            await Api.PostAsync(id, "missed-appointment", new { appointmentOn = "2026-11-06" }, "k-1"),
            HttpStatusCode.Conflict, "Idempotency-Key");
        await Problem.AssertAsync(
            await Api.PostAsync(id, "death", new { diedOn = "2026-11-06" }, "k-1"),
            HttpStatusCode.Conflict, "Idempotency-Key");
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task Keys_belong_to_one_journey_and_distinct_keys_record_repeatable_facts()
    {
        var first = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        var second = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(
            first, "missed-appointment", new { appointmentOn = "2026-11-05" }, "same")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(
            second, "missed-appointment", new { appointmentOn = "2026-11-09" }, "same")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(
            first, "missed-appointment", new { appointmentOn = "2026-11-09" }, "other")).StatusCode);

        Assert.Equal(2, (await Api.JourneyAsync(first)).AppointmentsMissed.Count);
        Assert.Single((await Api.JourneyAsync(second)).AppointmentsMissed);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("tab\tinside")]
    public async Task A_malformed_key_is_a_400(string key)
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/journeys/{id}/death")
        {
            Content = Json.Body(new { diedOn = "2026-11-05" }),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        await Problem.AssertAsync(await Api.Client.SendAsync(request), HttpStatusCode.BadRequest, "Idempotency-Key");
        await Problem.AssertAsync(
            await Api.PostAsync(id, "death", new { diedOn = "2026-11-05" }, new string('k', 101)),
            HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [Theory]
    [InlineData(24)]
    [InlineData(64)]
    public async Task Writers_racing_on_one_journey_are_all_placed_and_never_lose_an_event(int writers)
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 6, 1));
        // The window closed long ago: the service's own lapse check took version 3 before the release request
        // returned.
        Assert.Equal("continuity_window_lapsed", (await Api.HistoryAsync(id))[^1]);
        var dates = Enumerable.Range(0, writers).Select(d => new LocalDate(2026, 6, 2).PlusDays(d)).ToList();

        var answers = Array.Empty<HttpResponseMessage>();
        await Service.TrackAsync(async () => answers = await Task.WhenAll(dates.Select(d =>
            Api.PostAsync(id, "missed-appointment", new { appointmentOn = d.ToString("uuuu-MM-dd", null) }))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var versions = await Task.WhenAll(answers.Select(async a => (await a.ReadAsync<JourneyWritten>()).Version));
        Assert.Equal(Enumerable.Range(4, writers).Select(v => (long)v), versions.Order());
        Assert.Equal(dates, (await Api.JourneyAsync(id)).AppointmentsMissed.Order());
    }

    [Fact]
    public async Task The_same_key_racing_writes_once_and_every_racer_gets_the_same_answer()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 9, 1));
        Assert.Equal("continuity_window_lapsed", (await Api.HistoryAsync(id))[^1]); // the service's own, not a racer's
        var before = await Service.EventCountAsync();

        var answers = Array.Empty<HttpResponseMessage>();
        await Service.TrackAsync(async () => answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            Api.PostAsync(id, "community-treatment-start", new { startedOn = "2026-09-10" }, "pickup-race"))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single((await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()))).Distinct());
        Assert.Equal(before + 1, await Service.EventCountAsync());
    }
}
