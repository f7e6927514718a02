using System.Net;
using System.Text.Json;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// Two-way tables (`by=prison,month`) with disclosure control of cells and totals, `period=` shorthands, and the
/// time-to-pickup estimate that counts people still pending. Today is 2026-11-23.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoWayAndPeriodTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    private static readonly LocalDate September = new(2026, 9, 7);
    private static readonly LocalDate October = new(2026, 10, 5);

    private async Task ReleaseManyAsync(int count, string prison, LocalDate on, int? pickupDay = null)
    {
        for (var i = 0; i < count; i++)
        {
            var id = await Api.OpenAsync(JourneyApi.Registration(prisonCode: prison));
            await Api.RecordAsync(id, "release", JourneyApi.Release(on));
            if (pickupDay is { } day)
            {
                await Api.RecordAsync(id, "community-treatment-start", JourneyApi.TreatmentStart(on.PlusDays(day)));
            }
        }
    }

    /// <summary>
    /// <code>
    ///          2026-09  2026-10 | total
    /// LEI         7        3    |  10
    /// WYI         6        8    |  14
    /// total      13       11    |  24
    /// </code>
    /// 3 is small; LEI's next smallest cell is 7; then column 2026-10 has one hidden (3), so 8 goes; then 2026-09, 6.
    /// The totals stay: each row and column has two hidden cells, on a cycle.
    /// </summary>
    [Fact]
    public async Task A_two_way_table_hides_enough_cells_that_no_total_gives_one_away()
    {
        await ReleaseManyAsync(7, "LEI", September, pickupDay: 2);
        await ReleaseManyAsync(3, "LEI", October, pickupDay: 2);
        await ReleaseManyAsync(6, "WYI", September);
        await ReleaseManyAsync(8, "WYI", October, pickupDay: 30);
        await Service.CatchUpAsync();

        var report = await Api.GetJsonAsync("/api/v1/continuity?from=2026-09-01&to=2026-10-31&by=prison,month");

        Assert.Equal("prison,month", report.GetProperty("by").GetString());
        Assert.Equal(24, report.GetProperty("total").GetProperty("released").GetInt32());
        Assert.Equal(
            [("LEI", 10), ("WYI", 14)],
            report.GetProperty("groups").EnumerateArray().Select(g => (Key(g), g.GetProperty("released").GetInt32())));
        Assert.Equal(
            [("2026-09", 13), ("2026-10", 11)],
            report.GetProperty("columns").EnumerateArray()
                .Select(g => (Key(g), g.GetProperty("released").GetInt32())));
        var cells = report.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(["LEI", "WYI"], cells.Select(Key));
        Assert.All(cells, row =>
        {
            Assert.Equal(["2026-09", "2026-10"], row.GetProperty("columns").EnumerateArray().Select(Key));
            Assert.All(row.GetProperty("columns").EnumerateArray(), cell =>
            {
                Assert.True(cell.GetProperty("suppressed").GetBoolean());
                Assert.Equal(JsonValueKind.Null, cell.GetProperty("released").ValueKind);
            });
        });

        // The row totals are the one-way table's groups, with the same figures.
        var oneWay = await Api.GetJsonAsync("/api/v1/continuity?from=2026-09-01&to=2026-10-31&by=prison");
        Assert.Equal(oneWay.GetProperty("groups").ToString(), report.GetProperty("groups").ToString());
        Assert.False(oneWay.TryGetProperty("cells", out _)); // one-way answers are as they were
    }

    [Fact]
    public async Task A_two_way_table_shows_cells_that_are_large_enough_and_every_table_serves_it_as_CSV()
    {
        await ReleaseManyAsync(5, "LEI", September, pickupDay: 2);
        await ReleaseManyAsync(6, "WYI", September, pickupDay: 25);
        await Service.CatchUpAsync();

        var report = await Api.GetJsonAsync("/api/v1/retention?from=2026-09-01&to=2026-09-30&by=month,prison");
        var row = Assert.Single(report.GetProperty("cells").EnumerateArray());
        Assert.Equal("2026-09", Key(row));
        Assert.Equal(
            [("LEI", 5), ("WYI", 0)],
            row.GetProperty("columns").EnumerateArray()
                .Select(c => (Key(c), c.GetProperty("engagedInWindow").GetInt32())));

        foreach (var path in new[]
                 {
                     "/api/v1/continuity", "/api/v1/continuity/time-to-pickup", "/api/v1/retention",
                     "/api/v1/continuity/lapse-reasons",
                 })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?period=2026-09&by=prison,sex");
            request.Headers.Add("Accept", "text/csv");
            var response = await Api.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var lines = (await response.Content.ReadAsStringAsync()).TrimEnd().Split('\n');
            Assert.StartsWith("row,rowName,column,columnName,released,", lines[0]);
            Assert.Equal(
                [
                    "all,,all,", "LEI,HMP Leeds,all,", "WYI,HMYOI Wetherby,all,", "all,,male,",
                    "LEI,HMP Leeds,male,", "WYI,HMYOI Wetherby,male,",
                ],
                lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(4))));
            Assert.StartsWith("LEI,HMP Leeds,male,,5,", lines[5]);
        }
    }

    [Theory]
    [InlineData("/api/v1/continuity")]
    [InlineData("/api/v1/continuity/time-to-pickup")]
    [InlineData("/api/v1/retention")]
    public async Task A_named_period_answers_as_its_first_and_last_dates(string path)
    {
        await ReleaseManyAsync(5, "LEI", September, pickupDay: 2);
        await Service.CatchUpAsync();

        foreach (var (period, from, to) in new[]
                 {
                     ("2026-Q3", "2026-07-01", "2026-09-30"), ("2026-27", "2026-04-01", "2027-03-31"),
                     ("2026-09", "2026-09-01", "2026-09-30"), ("month:2026-09", "2026-09-01", "2026-09-30"),
                 })
        {
            var named = await Api.GetJsonAsync($"{path}?period={period}&by=month");
            var dated = await Api.GetJsonAsync($"{path}?from={from}&to={to}&by=month");
            Assert.Equal(dated.ToString(), named.ToString());
        }
    }

    [Theory]
    [InlineData("period=2026-Q3&from=2026-07-01", "period")]
    [InlineData("period=2026-Q3&to=2026-09-30", "period")]
    [InlineData("period=2026-Q5", "period")]
    [InlineData("period=2011-12", "period")]
    [InlineData("period=", "period")]
    [InlineData("period=1999-00", "period")]
    [InlineData("period=2035-36", "period")]
    [InlineData("period=2026-Q3&by=prison,prison", "by")]
    [InlineData("period=2026-Q3&by=prison,month,sex", "by")]
    [InlineData("period=2026-Q3&by=prison,", "by")]
    [InlineData("period=2026-Q3&by=prison,weekday", "by")]
    public async Task A_bad_period_or_breakdown_is_a_400_naming_the_field(string query, string field)
    {
        var response = await Api.Client.GetAsync($"/api/v1/continuity?{query}");
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Time_to_pickup_estimates_the_share_picked_up_counting_those_still_pending()
    {
        await ReleaseManyAsync(5, "LEI", September, pickupDay: 3);
        await ReleaseManyAsync(5, "LEI", new LocalDate(2026, 11, 20)); // day 3 today, still pending
        await Service.CatchUpAsync();

        var total = (await Api.GetJsonAsync("/api/v1/continuity/time-to-pickup?from=2026-09-01&to=2026-11-23"))
            .GetProperty("total");

        // The plain distribution leaves the pending out: all 5 known were picked up by day 3.
        Assert.Equal(5, total.GetProperty("known").GetInt32());
        Assert.Equal(1.0, total.GetProperty("days")[3].GetProperty("shareByThen").GetDouble());
        var estimate = total.GetProperty("estimate");
        Assert.Equal("kaplan-meier", estimate.GetProperty("method").GetString());
        Assert.Equal("greenwood-log-log-95", estimate.GetProperty("band").GetString());
        Assert.Equal(10, estimate.GetProperty("observed").GetInt32());
        Assert.Equal(5, estimate.GetProperty("pending").GetInt32());
        var days = estimate.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(22, days.Count); // days 0 to the window's last
        var day3 = days[3];
        Assert.Equal((10, 5, 5), (
            day3.GetProperty("atRisk").GetInt32(), day3.GetProperty("pickedUp").GetInt32(),
            day3.GetProperty("censored").GetInt32()));
        Assert.Equal(0.5, day3.GetProperty("share").GetDouble(), 12);
        Assert.InRange(day3.GetProperty("lower").GetDouble(), 0.1, 0.5);
        Assert.InRange(day3.GetProperty("upper").GetDouble(), 0.5, 0.9);
        Assert.Equal(JsonValueKind.Null, days[4].GetProperty("share").ValueKind); // nobody left to see
    }

    private static string Key(JsonElement element) => element.GetProperty("key").GetString()!;
}
