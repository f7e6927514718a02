using ContinuityOfCare.Continuity;
using ContinuityOfCare.Continuity.Cells;
using System.Net;
using System.Text.Json;
using ContinuityOfCare.Tests.Support;
using Marten;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// The analyst figure, read from the async projection, against journeys posted through the API. These check the
/// outcome arithmetic on a handful of journeys, so small-number suppression is switched off (threshold 1) here and
/// tested on its own in <see cref="BreakdownTests"/>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ContinuityRateTests(PostgresCluster postgres)
    : ServiceTests(postgres, new Dictionary<string, string> { ["Continuity:SuppressionThreshold"] = "1" })
{
    [Fact]
    public async Task A_corrected_release_date_moves_the_journey_and_leaves_no_empty_row_in_its_old_cells()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 10, 1), pickedUpOn: new LocalDate(2026, 10, 3));
        await Service.CatchUpAsync();
        Assert.Equal(["2026-10-01"], await CellDatesAsync());

        await Api.RecordAsync(
            id, "corrections", new { fact = "release", correctedOn = "2026-10-02", reason = "typo" });
        await Service.CatchUpAsync();

        // The cells, the pickup days and today's changes (moved out and in on one day) of 1 October are gone.
        Assert.Equal(["2026-10-02"], await CellDatesAsync());
        var october = (await Api.GetJsonAsync("/api/v1/continuity?from=2026-10-01&to=2026-10-31&by=releaseDay"))
            .GetProperty("total");
        Assert.Equal((1, 1), (october.GetProperty("released").GetInt32(), october.GetProperty("engaged").GetInt32()));
    }

    /// <summary>The release dates with a row in any of the cell tables.</summary>
    private async Task<IReadOnlyList<string>> CellDatesAsync()
    {
        var opts = (StoreOptions)Service.Store.Options;
        await using var session = Service.Store.QuerySession();
        var tables = new[]
        {
            CohortCellStore.CellsTable, CohortCellStore.PickupsTable,
            CohortCellStore.ChangesTable,
        }.Select(t => $"select released_on::text from {CohortCellStore.Qualified(opts, t)}");
        return await session.AdvancedSql.QueryAsync<string>(
            string.Join(" union ", tables) + " order by 1", CancellationToken.None);
    }

    [Fact]
    public async Task Releases_in_the_period_are_counted_by_outcome_and_pending_turns_into_not_engaged_as_days_pass()
    {
        // Period: November 2026; today 2026-11-23.
        await Api.ReleasedAsync(new LocalDate(2026, 11, 1), pickedUpOn: new LocalDate(2026, 11, 1));  // day 0: engaged
        await Api.ReleasedAsync(
            new LocalDate(2026, 11, 1), pickedUpOn: new LocalDate(2026, 11, 22)); // day 21: engaged
        await Api.ReleasedAsync(new LocalDate(2026, 11, 1), pickedUpOn: new LocalDate(2026, 11, 23)); // day 22: late
        await Api.ReleasedAsync(new LocalDate(2026, 11, 1));                // window closed on the 22nd
        await Api.ReleasedAsync(new LocalDate(2026, 11, 20));               // window open to 12-11
        // outside the period
        await Api.ReleasedAsync(new LocalDate(2026, 10, 31), pickedUpOn: new LocalDate(2026, 11, 2));
        await Api.ReleasedAsync(new LocalDate(2026, 12, 1).PlusDays(-100)); // outside the period
        await Api.OpenAsync();                                              // never released
        await Service.CatchUpAsync();

        var report = await Api.ContinuityAsync("2026-11-01", "2026-11-30");
        Assert.Equal((new LocalDate(2026, 11, 1), new LocalDate(2026, 11, 30)), (report.From, report.To));
        Assert.Equal(21, report.WindowDays);
        Assert.Equal(new LocalDate(2026, 11, 23), report.AsOf);
        Assert.False(report.Final);
        AssertCounts(report.Total, released: 5, engaged: 2, engagedLate: 1, notEngaged: 1, pending: 1, rate: 0.5);
        Assert.Equal("all", report.Total.Key);
        Assert.Empty(report.Groups);

        // No new event: only the date moves. The 2026-11-20 release's window closes at the end of 2026-12-11.
        Service.SetToday(new LocalDate(2026, 12, 11));
        AssertCounts((await Api.ContinuityAsync("2026-11-01", "2026-11-30")).Total, 5, 2, 1, 1, 1, 0.5);

        Service.SetToday(new LocalDate(2026, 12, 12));
        AssertCounts((await Api.ContinuityAsync("2026-11-01", "2026-11-30")).Total, 5, 2, 1, 2, 0, 0.4);

        // Final once today is past the period's last release date plus the window: 2026-11-30 + 21 = 2026-12-21.
        Service.SetToday(new LocalDate(2026, 12, 21));
        Assert.False((await Api.ContinuityAsync("2026-11-01", "2026-11-30")).Final);
        Service.SetToday(new LocalDate(2026, 12, 22));
        Assert.True((await Api.ContinuityAsync("2026-11-01", "2026-11-30")).Final);
    }

    [Fact]
    public async Task A_pickup_recorded_after_the_window_with_a_date_inside_it_counts_as_engaged()
    {
        Service.SetToday(new LocalDate(2026, 9, 30));
        var journeyId = await Api.ReleasedAsync(new LocalDate(2026, 9, 1));
        await Service.CatchUpAsync();
        AssertCounts((await Api.ContinuityAsync("2026-09-01", "2026-09-01")).Total, 1, 0, 0, 1, 0, 0.0);

        // Recorded on day 29, dated day 15: the figure that counted it as not engaged changes.
        var start = await Api.StartTreatmentAsync(journeyId, JourneyApi.TreatmentStart(new LocalDate(2026, 9, 16)));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        await Service.CatchUpAsync();
        AssertCounts((await Api.ContinuityAsync("2026-09-01", "2026-09-01")).Total, 1, 1, 0, 0, 0, 1.0);
    }

    [Fact]
    public async Task A_release_on_the_day_the_clocks_go_forward_has_a_window_of_22_dates()
    {
        Service.SetToday(new LocalDate(2026, 5, 1));
        await Api.ReleasedAsync(new LocalDate(2026, 3, 29), pickedUpOn: new LocalDate(2026, 4, 19)); // day 21
        await Api.ReleasedAsync(new LocalDate(2026, 3, 29), pickedUpOn: new LocalDate(2026, 4, 20)); // day 22
        await Service.CatchUpAsync();

        AssertCounts((await Api.ContinuityAsync("2026-03-29", "2026-03-29")).Total, 2, 1, 1, 0, 0, 0.5);
    }

    [Fact]
    public async Task A_period_with_nothing_known_yet_has_no_rate()
    {
        Service.SetToday(new LocalDate(2026, 2, 10));
        await Api.ReleasedAsync(new LocalDate(2026, 2, 9));
        await Service.CatchUpAsync();

        var total = (await Api.ContinuityAsync("2026-02-01", "2026-02-28")).Total;
        AssertCounts(total, released: 1, engaged: 0, engagedLate: 0, notEngaged: 0, pending: 1, rate: null);

        var empty = (await Api.ContinuityAsync("2001-01-01", "2001-12-31")).Total;
        AssertCounts(empty, 0, 0, 0, 0, 0, null);
    }

    [Fact]
    public async Task The_same_table_is_served_as_CSV()
    {
        Service.SetToday(new LocalDate(2026, 8, 31));
        await Api.ReleasedAsync(new LocalDate(2026, 8, 3), pickedUpOn: new LocalDate(2026, 8, 4));
        await Api.ReleasedAsync(new LocalDate(2026, 8, 3));
        await Service.CatchUpAsync();

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/continuity?from=2026-08-01&to=2026-08-31");
        request.Headers.Add("Accept", "text/csv");
        var response = await Api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd().Split('\n');
        Assert.Equal(
            "key,name,released,engaged,engagedLate,notEngaged,pending,excluded,rate,suppressed," +
            "excludedDied,excludedDeported,excludedReturnedToCustody",
            lines[0]);
        Assert.Equal("all,,2,1,0,1,0,0,0.5,false,0,0,0", lines[1]);
    }

    [Fact]
    public async Task As_of_a_date_the_figures_are_as_they_were_known_at_the_end_of_that_day()
    {
        Service.SetToday(new LocalDate(2026, 11, 10));
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        Service.SetToday(new LocalDate(2026, 11, 20));
        await Api.RecordAsync(id, "community-treatment-start", new { startedOn = "2026-11-05" }); // backdated
        Service.SetToday(new LocalDate(2026, 11, 21));
        await Api.RecordAsync(
            id, "corrections", new { fact = "release", correctedOn = "2026-10-30", reason = "wrong licence date" });
        Service.SetToday(new LocalDate(2026, 11, 23));
        await Service.CatchUpAsync();

        async Task<ContinuityGroup> Total(string asOf) =>
            (await Api.ContinuityAsync("2026-11-01", "2026-11-30", $"&asOf={asOf}")).Total;

        AssertCounts(await Total("2026-11-09"), 0, 0, 0, 0, 0, null);   // before the release was recorded
        AssertCounts(await Total("2026-11-19"), 1, 0, 0, 0, 1, null);   // released, pickup not yet known
        AssertCounts(await Total("2026-11-20"), 1, 1, 0, 0, 0, 1.0);    // the backdated pickup, known that day
        AssertCounts(await Total("2026-11-21"), 0, 0, 0, 0, 0, null);   // corrected into October
        AssertCounts(await Total("2026-11-23"), 0, 0, 0, 0, 0, null);   // today: the projection says the same
        var asOf = (await Api.ContinuityAsync("2026-11-01", "2026-11-30", "&asOf=2026-11-19")).AsOf;
        Assert.Equal(new LocalDate(2026, 11, 19), asOf);
        var october = (await Api.ContinuityAsync("2026-10-01", "2026-10-31", "&asOf=2026-11-21")).Total;
        AssertCounts(october, 1, 1, 0, 0, 0, 1.0);
    }

    [Fact]
    public async Task Figures_published_on_a_day_can_be_reproduced_later_whatever_arrives_since()
    {
        Service.SetToday(new LocalDate(2026, 10, 31));
        for (var i = 0; i < 6; i++)
        {
            await Api.ReleasedAsync(new LocalDate(2026, 10, 1).PlusDays(i * 3));
        }

        await Service.CatchUpAsync();
        var published = await Api.ContinuityAsync("2026-10-01", "2026-10-31", "&by=month");

        Service.SetToday(new LocalDate(2026, 11, 23));
        var journeys = await Api.ReleasedAsync(new LocalDate(2026, 10, 5), pickedUpOn: new LocalDate(2026, 10, 6));
        await Api.RecordAsync(journeys, "death", new { diedOn = "2026-11-20" });
        await Service.CatchUpAsync();

        var reproduced = await Api.ContinuityAsync("2026-10-01", "2026-10-31", "&by=month&asOf=2026-10-31");
        Assert.Equal(published.Total, reproduced.Total);
        Assert.Equal(published.Groups, reproduced.Groups);
    }

    [Theory]
    [InlineData("?to=2026-01-31", "from")]
    [InlineData("?from=2026-01-01", "to")]
    [InlineData("?from=2026-02-30&to=2026-03-31", "from")]
    [InlineData("?from=01/01/2026&to=2026-03-31", "from")]
    [InlineData("?from=2026-01-01%00&to=2026-03-31", "from")]
    [InlineData("?from=2026-03-01&to=2026-02-01", "to")]
    [InlineData("?from=2026-01-01&to=2026-01-31&by=county", "by")]
    [InlineData("?from=2026-01-01&to=2026-01-31&by=Prison", "by")]
    [InlineData("?from=2026-01-01&to=2026-01-31&asOf=2026-11-24", "asOf")]
    [InlineData("?from=2026-01-01&to=2026-01-31&asOf=yesterday", "asOf")]
    public async Task A_malformed_query_is_a_400_naming_the_parameter(string query, string field)
    {
        await Problem.AssertAsync(
            await Api.Client.GetAsync($"/api/v1/continuity{query}"), HttpStatusCode.BadRequest, field);
    }

    private static void AssertCounts(
        ContinuityGroup group,
        int released,
        int engaged,
        int engagedLate,
        int notEngaged,
        int pending,
        double? rate) =>
        Assert.Equal(
            (released, engaged, engagedLate, notEngaged, pending, 0, rate, false),
            (group.Released, group.Engaged, group.EngagedLate, group.NotEngaged, group.Pending, group.Excluded,
                group.Rate, group.Suppressed));
}
