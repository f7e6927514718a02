using System.Net;
using System.Text.Json;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// Breakdowns, disclosure control (default threshold 5), and the retention and time-to-pickup tables.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AnalystTableTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    private static readonly LocalDate Release = new(2026, 9, 7);

    private async Task ReleaseManyAsync(int count, string prison, LocalDate? pickup = null)
    {
        for (var i = 0; i < count; i++)
        {
            var id = await Api.OpenAsync(JourneyApi.Registration(prisonCode: prison));
            await Api.RecordAsync(id, "release", JourneyApi.Release(Release));
            if (pickup is { } p)
            {
                await Api.RecordAsync(id, "community-treatment-start", JourneyApi.TreatmentStart(p));
            }
        }
    }

    [Fact]
    public async Task Small_groups_are_suppressed_and_a_lone_one_takes_the_next_smallest_with_it()
    {
        await ReleaseManyAsync(7, "LEI", pickup: Release.PlusDays(2));
        await ReleaseManyAsync(3, "WYI", pickup: Release.PlusDays(2));
        await ReleaseManyAsync(6, "HUL");
        await ReleaseManyAsync(9, "DUR");
        await Service.CatchUpAsync();

        var report = await Api.GetJsonAsync("/api/v1/continuity?from=2026-09-01&to=2026-09-30&by=prison");

        Assert.Equal(25, report.GetProperty("total").GetProperty("released").GetInt32());
        Assert.Equal(5, report.GetProperty("suppressionThreshold").GetInt32());
        var groups = report.GetProperty("groups").EnumerateArray().ToDictionary(
            g => g.GetProperty("key").GetString()!);
        Assert.Equal(["DUR", "HUL", "LEI", "WYI"], groups.Keys);
        Assert.True(groups["WYI"].GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, groups["WYI"].GetProperty("released").ValueKind);
        Assert.Equal(JsonValueKind.Null, groups["WYI"].GetProperty("rate").ValueKind);
        Assert.True(groups["HUL"].GetProperty("suppressed").GetBoolean()); // secondary: the next smallest
        Assert.False(groups["LEI"].GetProperty("suppressed").GetBoolean());
        Assert.Equal(1.0, groups["LEI"].GetProperty("rate").GetDouble());
        Assert.Equal(0.0, groups["DUR"].GetProperty("rate").GetDouble());
    }

    [Fact]
    public async Task A_total_of_fewer_than_five_is_suppressed_too()
    {
        await ReleaseManyAsync(4, "LEI");
        await Service.CatchUpAsync();

        var total = (await Api.GetJsonAsync("/api/v1/continuity?from=2026-09-01&to=2026-09-30")).GetProperty("total");
        Assert.True(total.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, total.GetProperty("engaged").ValueKind);
    }

    public static TheoryData<string, string> DimensionKeys => new()
    {
        // JourneyApi's registration and release: LEI, male, born 1986, opiate; licence to E08000035, FORWARD-LEEDS,
        // no fixed abode false, naloxone true, met at gate true; released 2026-09-07.
        { "prison", "LEI" },
        { "localAuthority", "E08000035" },
        { "provider", "FORWARD-LEEDS" },
        { "substanceGroup", "opiate" },
        { "sex", "male" },
        { "ageBand", "35-44" },
        { "releaseType", "licence" },
        { "noFixedAbode", "no" },
        { "naloxone", "yes" },
        { "metAtGate", "yes" },
        { "month", "2026-09" },
        { "quarter", "2026-Q3" },
        { "financialYear", "2026-27" },
    };

    [Theory]
    [MemberData(nameof(DimensionKeys))]
    public async Task Every_breakdown_of_DOMAIN_md_is_served(string by, string key)
    {
        await ReleaseManyAsync(5, "LEI", pickup: Release.PlusDays(1));
        await Service.CatchUpAsync();

        var report = await Api.GetJsonAsync($"/api/v1/continuity?from=2026-09-01&to=2026-09-30&by={by}");

        Assert.Equal(by, report.GetProperty("by").GetString());
        var group = Assert.Single(report.GetProperty("groups").EnumerateArray());
        Assert.Equal(key, group.GetProperty("key").GetString());
        Assert.Equal(5, group.GetProperty("engaged").GetInt32());
    }

    [Fact]
    public async Task Period_breakdowns_list_every_period_in_the_range_even_empty_ones()
    {
        await ReleaseManyAsync(5, "LEI");
        await Service.CatchUpAsync();

        var report = await Api.GetJsonAsync("/api/v1/continuity?from=2026-07-15&to=2026-10-02&by=month");

        var groups = report.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(
            ["2026-07", "2026-08", "2026-09", "2026-10"], groups.Select(g => g.GetProperty("key").GetString()));
        Assert.Equal([0, 0, 5, 0], groups.Select(g => g.GetProperty("released").GetInt32()));
        Assert.All(groups, g => Assert.False(g.GetProperty("suppressed").GetBoolean()));
    }

    [Fact]
    public async Task Retention_and_time_to_pickup_use_the_same_cohort_and_suppression()
    {
        await ReleaseManyAsync(5, "LEI", pickup: Release.PlusDays(3));
        await ReleaseManyAsync(5, "WYI", pickup: Release.PlusDays(25));
        await ReleaseManyAsync(2, "HUL");
        await Service.CatchUpAsync();
        Service.SetToday(new LocalDate(2026, 12, 31)); // past the 12-week horizon (2026-11-30)

        var retention = await Api.GetJsonAsync("/api/v1/retention?from=2026-09-01&to=2026-09-30&by=prison");
        Assert.Equal(84, retention.GetProperty("retentionDays").GetInt32());
        Assert.True(retention.GetProperty("final").GetBoolean());
        var total = retention.GetProperty("total");
        Assert.Equal(12, total.GetProperty("released").GetInt32());
        Assert.Equal(5, total.GetProperty("engagedInWindow").GetInt32());
        Assert.Equal(5, total.GetProperty("retained").GetInt32());
        Assert.Equal(1.0, total.GetProperty("rate").GetDouble());
        var hidden = retention.GetProperty("groups").EnumerateArray()
            .Where(g => g.GetProperty("suppressed").GetBoolean())
            .Select(g => g.GetProperty("key").GetString());
        Assert.Equal(["HUL", "LEI"], hidden); // HUL is small; LEI and WYI tie as next smallest, the first by key goes

        var distribution = (await Api.GetJsonAsync("/api/v1/continuity/time-to-pickup?from=2026-09-01&to=2026-09-30"))
            .GetProperty("total");
        Assert.Equal(12, distribution.GetProperty("known").GetInt32());
        var days = distribution.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(29, days.Count);
        Assert.Equal(5, days[3].GetProperty("pickedUp").GetInt32());
        Assert.Equal(5.0 / 12, days[21].GetProperty("shareByThen").GetDouble());
        Assert.Equal(10, days[25].GetProperty("pickedUpByThen").GetInt32());
        Assert.Equal(2, distribution.GetProperty("never").GetInt32());
        Assert.Equal(0, distribution.GetProperty("later").GetInt32());
    }

    [Fact]
    public async Task Every_analyst_table_is_served_as_CSV()
    {
        await ReleaseManyAsync(5, "LEI", pickup: Release.PlusDays(3));
        await Service.CatchUpAsync();

        foreach (var (path, header) in new[]
                 {
                     (
                         "/api/v1/retention",
                         "key,name,released,engagedInWindow,retained,notRetained,pending,rate,suppressed"),
                     ("/api/v1/continuity/time-to-pickup", "key,name,released,known,day0,day1,day2"),
                 })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?from=2026-09-01&to=2026-09-30&by=sex");
            request.Headers.Add("Accept", "text/csv");
            var response = await Api.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var lines = (await response.Content.ReadAsStringAsync()).TrimEnd().Split('\n');
            Assert.StartsWith(header, lines[0]);
            Assert.Equal(3, lines.Length); // header, total, male
            Assert.StartsWith("male,,5,", lines[2]); // no name: sex is not an organisation
        }
    }
}
