using System.Text.Json;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys.History;
using ContinuityOfCare.Journeys.WindowClose;
using ContinuityOfCare.Tests.Support;
using Npgsql;
using NodaTime;
using Wolverine.Tracking;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// The durable window-close check: a scheduled Wolverine message kept in PostgreSQL. Wolverine's scheduler follows
/// the real clock, the service's "today" the test's: a test moves "today" past a window, then plays the checks its
/// tracked session recorded as scheduled (<see cref="ITrackedSession.PlayScheduledMessagesAsync"/>).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WindowCloseTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    [Fact]
    public async Task
        A_backdated_release_past_its_window_is_marked_not_engaged_and_a_later_pickup_in_the_window_counts()
    {
        // The window closed on 2026-10-22: the check runs at once, and the release request returns after it.
        var id = await Api.ReleasedAsync(new LocalDate(2026, 10, 1));

        var journey = await Api.JourneyAsync(id);
        var lapsed = Assert.Single(journey.History, e => e.Type == "continuity_window_lapsed");
        Assert.Equal(3, lapsed.Version);
        Assert.Equal("2026-10-22", Data(lapsed).GetProperty("windowLastDay").GetString());
        Assert.True(journey.Continuity!.WindowLapsed);

        await Api.RecordAsync(id, "community-treatment-start", new { startedOn = "2026-10-20" });

        journey = await Api.JourneyAsync(id);
        Assert.Equal(ReleaseOutcome.Engaged, journey.Continuity!.Outcome);
        Assert.Contains(journey.History, e => e.Type == "continuity_window_lapsed");
    }

    [Fact]
    public async Task A_journey_picked_up_or_excluded_before_its_window_closed_is_not_marked()
    {
        Guid pickedUp = default, died = default, witness = default;
        var recorded = await Service.TrackAsync(async () =>
        {
            pickedUp = await Api.ReleasedAsync(new LocalDate(2026, 11, 20), pickedUpOn: new LocalDate(2026, 11, 21));
            died = await Api.ReleasedAsync(new LocalDate(2026, 11, 20));
            await Api.RecordAsync(died, "death", new { diedOn = "2026-11-21" });
            witness = await Api.ReleasedAsync(new LocalDate(2026, 11, 20));
        });
        Assert.Equal(new[] { pickedUp, died, witness }.Order(), ScheduledChecks(recorded).Order()); // one per release

        // The windows close (2026-12-11): the checks fall due.
        Service.SetToday(new LocalDate(2026, 12, 12));
        await recorded.PlayScheduledMessagesAsync(TrackedRequests.Timeout);

        Assert.Equal("continuity_window_lapsed", (await Api.HistoryAsync(witness))[^1]);
        Assert.DoesNotContain("continuity_window_lapsed", await Api.HistoryAsync(pickedUp));
        Assert.DoesNotContain("continuity_window_lapsed", await Api.HistoryAsync(died));
    }

    [Fact]
    public async Task A_check_delivered_before_the_window_closes_looks_again_when_it_does()
    {
        Guid id = default;
        var recorded = await Service.TrackAsync(async () => id = await Api.ReleasedAsync(new LocalDate(2026, 11, 20)));

        // Delivered on the window's last day: still open, so the check is scheduled again for its end.
        Service.SetToday(new LocalDate(2026, 12, 11));
        var early = await recorded.PlayScheduledMessagesAsync(TrackedRequests.Timeout);
        Assert.Equal([id], ScheduledChecks(early));
        Assert.DoesNotContain("continuity_window_lapsed", await Api.HistoryAsync(id));

        Service.SetToday(new LocalDate(2026, 12, 12));
        await early.PlayScheduledMessagesAsync(TrackedRequests.Timeout);
        Assert.Equal("continuity_window_lapsed", (await Api.HistoryAsync(id))[^1]);
    }

    [Fact]
    public async Task Correcting_a_release_date_schedules_the_check_for_the_new_window()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 20));
        await Api.RecordAsync(
            id, "corrections", new { fact = "release", correctedOn = "2026-10-02", reason = "wrong year keyed" });

        // The corrected window closed on 2026-10-23: the check ran before the correction request returned.
        var lapsed = (await Api.JourneyAsync(id)).History[^1];
        Assert.Equal("continuity_window_lapsed", lapsed.Type);
        Assert.Equal("2026-10-23", Data(lapsed).GetProperty("windowLastDay").GetString());
    }

    /// <summary>
    /// The one test that reads Wolverine's tables: the check must outlive the service that scheduled it, so the
    /// test looks for it where it is kept, and stands in for the passing of time on Wolverine's side there.
    /// </summary>
    [Fact]
    public async Task The_check_is_kept_in_the_database_and_runs_after_downtime_when_the_service_comes_back()
    {
        var first = await ServiceFactory.StartAsync(Postgres, "window_close_downtime");
        var connectionString = first.ConnectionString;
        Guid id;
        await using (first)
        {
            // Its window is open until 2026-12-11.
            id = await new JourneyApi(first.CreateClient()).ReleasedAsync(new LocalDate(2026, 11, 20));
            Assert.Equal(1, await ScheduledChecksAsync(connectionString));
        }

        await using var restarted = new ServiceFactory(connectionString);
        restarted.SetToday(new LocalDate(2026, 12, 12));
        var api = new JourneyApi(restarted.CreateClient());
        Assert.DoesNotContain("continuity_window_lapsed", await api.HistoryAsync(id));

        // The stored check falls due while the restarted service runs: its scheduler finds it in the database.
        await restarted.Host.TrackActivity().Timeout(TrackedRequests.Timeout).WaitForExecutionOf<WindowCloseDue>()
            .ExecuteAndWaitAsync(_ => MakeScheduledChecksDueAsync(connectionString));

        var journey = await api.JourneyAsync(id);
        Assert.Equal("2026-12-11", Data(journey.History[^1]).GetProperty("windowLastDay").GetString());
        Assert.Equal(ReleaseOutcome.NotEngaged, journey.Continuity!.Outcome);
    }

    /// <summary>The journeys whose window-close check the session saw scheduled (once each).</summary>
    private static IEnumerable<Guid> ScheduledChecks(ITrackedSession session) =>
        session.Scheduled.Envelopes().DistinctBy(e => e.Id)
            .Select(e => e.Message).OfType<WindowCloseDue>().Select(m => m.JourneyId);

    private static JsonElement Data(HistoryEntry entry) => (JsonElement)entry.Data;

    private static async Task<long> ScheduledChecksAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            "select count(*) from wolverine_incoming_envelopes where status = 'Scheduled'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task MakeScheduledChecksDueAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var due = new NpgsqlCommand(
            "update wolverine_incoming_envelopes set execution_time = now() - interval '1 minute' " +
            "where status = 'Scheduled'",
            connection);
        Assert.Equal(1, await due.ExecuteNonQueryAsync());
    }
}
