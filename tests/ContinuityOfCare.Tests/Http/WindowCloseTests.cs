using ContinuityOfCare.Tests.Support;
using Npgsql;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>The durable window-close check: a scheduled Wolverine message kept in PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WindowCloseTests(PostgresCluster postgres) : ServiceTests(postgres, "window_close", hostPerTest: true)
{
    [Fact]
    public async Task A_backdated_release_whose_window_has_closed_is_marked_not_engaged_and_a_later_pickup_in_the_window_still_counts()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 10, 1)); // window closed on 2026-10-22

        var lapsed = await Api.WaitForEventAsync(id, "continuity_window_lapsed");
        Assert.Equal("2026-10-22", lapsed.GetProperty("data").GetProperty("windowLastDay").GetString());
        Assert.True((await Api.JourneyAsync(id)).GetProperty("continuity").GetProperty("windowLapsed").GetBoolean());

        await Api.RecordAsync(id, "community-treatment-start", new { startedOn = "2026-10-20" });

        var journey = await Api.JourneyAsync(id);
        Assert.Equal("engaged", journey.GetProperty("continuity").GetProperty("outcome").GetString());
        Assert.Contains(journey.GetProperty("history").EnumerateArray(), e => e.GetProperty("type").GetString() == "continuity_window_lapsed");
    }

    [Fact]
    public async Task The_check_is_kept_in_the_database_and_runs_after_downtime_when_the_service_comes_back()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 20)); // window open until 2026-12-11
        Assert.Equal(1, await ScheduledChecksAsync(Service.ConnectionString));
        await Service.DisposeAsync();

        // While the service is down the moment passes: the stored message is now due, and "today" is after the window.
        Assert.Equal(1, await MakeScheduledChecksDueAsync(Service.ConnectionString));

        await using var restarted = new ServiceFactory(Service.ConnectionString);
        restarted.SetToday(new LocalDate(2026, 12, 12));
        var api = new JourneyApi(restarted.CreateClient());

        var lapsed = await api.WaitForEventAsync(id, "continuity_window_lapsed");
        Assert.Equal("2026-12-11", lapsed.GetProperty("data").GetProperty("windowLastDay").GetString());
        Assert.Equal("not-engaged", (await api.JourneyAsync(id)).GetProperty("continuity").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_journey_picked_up_or_excluded_before_its_window_closed_is_not_marked()
    {
        var pickedUp = await Api.ReleasedAsync(new LocalDate(2026, 11, 20), pickedUpOn: new LocalDate(2026, 11, 21));
        var died = await Api.ReleasedAsync(new LocalDate(2026, 11, 20));
        await Api.RecordAsync(died, "death", new { diedOn = "2026-11-21" });
        var witness = await Api.ReleasedAsync(new LocalDate(2026, 11, 20));

        // The windows close (2026-12-11) and the three stored checks fall due.
        Service.SetToday(new LocalDate(2026, 12, 12));
        Assert.Equal(3, await MakeScheduledChecksDueAsync(Service.ConnectionString));

        await Api.WaitForEventAsync(witness, "continuity_window_lapsed");
        foreach (var id in new[] { pickedUp, died })
        {
            Assert.DoesNotContain(
                (await Api.JourneyAsync(id)).GetProperty("history").EnumerateArray(), e => e.GetProperty("type").GetString() == "continuity_window_lapsed");
        }
    }

    [Fact]
    public async Task Correcting_a_release_date_schedules_the_check_for_the_new_window()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 20));
        await Api.RecordAsync(id, "corrections", new { fact = "release", correctedOn = "2026-10-02", reason = "wrong year keyed" });

        var lapsed = await Api.WaitForEventAsync(id, "continuity_window_lapsed");
        Assert.Equal("2026-10-23", lapsed.GetProperty("data").GetProperty("windowLastDay").GetString());
    }

    private static async Task<long> ScheduledChecksAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from wolverine_incoming_envelopes where status = 'Scheduled'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>Stands in for the passing of time on Wolverine's side: its scheduler follows the real clock.</summary>
    private static async Task<int> MakeScheduledChecksDueAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var due = new NpgsqlCommand(
            "update wolverine_incoming_envelopes set execution_time = now() - interval '1 minute' where status = 'Scheduled'", connection);
        return await due.ExecuteNonQueryAsync();
    }
}
