using System.Net;
using System.Text.Json;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// Lining up with the national figure: the audit export (GET /continuity/audit-export) and the reconciliation
/// (POST /continuity/reconciliation). Today is 2026-11-23.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NationalFigureTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    private static readonly LocalDate Released = new(2026, 9, 7);
    private static readonly string Exporter = ServiceFactory.Token("analyst", "OHID", "figures:unsuppressed");
    private static readonly string Analyst = ServiceFactory.Token("analyst", "LEEDS-PUBLIC-HEALTH");

    /// <summary>
    /// LEI 7 picked up on day 2, WYI 3 on day 25 (late), HUL 6 never, DUR 9 on day 0: by prison, WYI is small and
    /// HUL, the next smallest, is hidden with it. Answers the journeys' references, to look for in what analysts get.
    /// </summary>
    private async Task<IReadOnlyList<string>> LoadAsync()
    {
        var references = new List<string>();
        foreach (var (prison, count, pickupDay) in
                 new[] { ("LEI", 7, (int?)2), ("WYI", 3, 25), ("HUL", 6, null), ("DUR", 9, 0) })
        {
            for (var i = 0; i < count; i++)
            {
                var journeyRef = $"{prison}-AUDIT-{i}";
                var id = await Api.OpenAsync(
                    JourneyApi.Registration(journeyRef, prisonCode: prison, personRef: $"P-{journeyRef}"));
                references.AddRange([journeyRef, $"P-{journeyRef}", id.ToString()]);
                await Api.RecordAsync(id, "release", JourneyApi.Release(Released));
                if (pickupDay is { } day)
                {
                    await Api.RecordAsync(
                        id, "community-treatment-start", JourneyApi.TreatmentStart(Released.PlusDays(day)));
                }
            }
        }

        await Service.CatchUpAsync();
        return references;
    }

    private Task<HttpResponseMessage> ExportAsync(string query, string? token = null, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/continuity/audit-export?{query}");
        if (accept is not null)
        {
            request.Headers.Add("Accept", accept);
        }

        return Service.ClientAs(token ?? Exporter).SendAsync(request);
    }

    private Task<HttpResponseMessage> ReconcileAsync(object body, string? token = null) =>
        Service.ClientAs(token ?? Analyst).PostAsync("/api/v1/continuity/reconciliation", Json.Body(body));

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task The_export_has_a_row_per_journey_released_in_the_period_and_no_reference()
    {
        var references = await LoadAsync();

        var response = await ExportAsync("period=2026-09");
        var text = await response.Content.ReadAsStringAsync();
        var export = await OkAsync(response);

        Assert.Equal(("2026-09-01", "2026-09-30", 25), (
            export.GetProperty("from").GetString(), export.GetProperty("to").GetString(),
            export.GetProperty("count").GetInt32()));
        Assert.True(export.GetProperty("final").GetBoolean());
        var rows = export.GetProperty("journeys").EnumerateArray().ToList();
        Assert.Equal(25, rows.Count);
        Assert.Equal(["DUR", "HUL", "LEI", "WYI"], rows.Select(r => r.GetProperty("prison").GetString()).Distinct());
        var lei = rows.First(r => r.GetProperty("prison").GetString() == "LEI");
        Assert.Equal(
            """{"prison":"LEI","prisonName":"HMP Leeds","releasedOn":"2026-09-""" +
            """07","localAuthority":"E08000035","localAuthorityName":"Leeds","provider":"FORWARD-""" +
            """LEEDS","providerName":"Forward Leeds","pickedUpOn":"2026-09-09","daysToPickup":""" +
            """2,"outcome":"engaged","engagedInWindow":true,"inRate":true,"exclusionReason":null,"lapseReason":""" +
            """null}""",
            lei.GetRawText());
        Assert.Equal(
            ["engaged-late"],
            rows.Where(r => r.GetProperty("prison").GetString() == "WYI")
                .Select(r => r.GetProperty("outcome").GetString()).Distinct());
        Assert.All(references, reference => Assert.DoesNotContain(reference, text));

        var csv = await ExportAsync("period=2026-09", accept: "text/csv");
        var csvText = await csv.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "continuity-audit-2026-09-01-to-2026-09-30-as-of-2026-11-23.csv",
            csv.Content.Headers.ContentDisposition?.FileName);
        var lines = csvText.TrimEnd('\n').Split('\n');
        Assert.Equal(26, lines.Length);
        Assert.Equal(
            "prison,prisonName,releasedOn,localAuthority,localAuthorityName,provider,providerName,pickedUpOn," +
            "daysToPickup,outcome,engagedInWindow,inRate,exclusionReason,lapseReason",
            lines[0]);
        Assert.Contains(
            "DUR,unknown,2026-09-07,E08000035,Leeds,FORWARD-LEEDS,Forward Leeds,2026-09-07,0,engaged,true,true,,",
            lines);
        Assert.Contains(
            "HUL,unknown,2026-09-07,E08000035,Leeds,FORWARD-LEEDS,Forward Leeds,,,not-engaged,false,true,,", lines);
        Assert.All(references, reference => Assert.DoesNotContain(reference, csvText));
        Assert.Equal(csvText, await (await ExportAsync("period=2026-09&format=csv")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_export_filters_by_prison_local_authority_and_provider()
    {
        await LoadAsync();

        Assert.Equal(
            7, (await OkAsync(await ExportAsync("period=2026-09&prison=LEI"))).GetProperty("count").GetInt32());
        Assert.Equal(
            25, (await OkAsync(await ExportAsync("period=2026-09&localAuthority=E08000035&provider=FORWARD-LEEDS")))
                .GetProperty("count").GetInt32());
        var none = await OkAsync(await ExportAsync("from=2026-09-01&to=2026-09-30&provider=CGL"));
        Assert.Equal((0, "CGL"), (none.GetProperty("count").GetInt32(), none.GetProperty("provider").GetString()));
        Assert.Equal(0, (await OkAsync(await ExportAsync("period=2026-08"))).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task The_export_as_of_a_date_holds_what_was_recorded_by_its_end()
    {
        Service.SetToday(new LocalDate(2026, 9, 8));
        var id = await Api.ReleasedAsync(Released);
        Service.SetToday(new LocalDate(2026, 10, 20));
        await Api.RecordAsync(id, "community-treatment-start", JourneyApi.TreatmentStart(Released.PlusDays(20)));
        Service.SetToday(new LocalDate(2026, 11, 23));
        await Service.CatchUpAsync();

        async Task<string> Outcome(string asOf) =>
            (await OkAsync(await ExportAsync($"period=2026-09&asOf={asOf}")))
                .GetProperty("journeys")[0].GetProperty("outcome").GetString()!;

        Assert.Equal("pending", await Outcome("2026-09-20"));
        Assert.Equal("not-engaged", await Outcome("2026-10-19")); // the window closed, nothing recorded yet
        Assert.Equal("engaged", await Outcome("2026-10-20")); // the backdated pickup, known that day
        Assert.Equal(
            0, (await OkAsync(await ExportAsync("period=2026-09&asOf=2026-09-07"))).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task The_export_needs_the_permission_for_unsuppressed_figures_since_rows_can_be_counted()
    {
        var problem = await Problem.AssertAsync(
            await ExportAsync("period=2026-09", Analyst), HttpStatusCode.Forbidden);
        Assert.Contains("figures:unsuppressed", problem.GetProperty("detail").GetString());
        await Problem.AssertAsync(
            await ExportAsync("period=2026-09", ServiceFactory.Token("prison", "LEI", "figures:unsuppressed")),
            HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("", "from")]
    [InlineData("period=2026-13", "period")]
    [InlineData("period=2026-09&from=2026-09-01", "period")]
    [InlineData("period=2026-09&asOf=2026-11-24", "asOf")]
    [InlineData("period=2026-09&prison=", "prison")]
    [InlineData("period=2026-09&localAuthority=E08%2000035", "localAuthority")]
    [InlineData("period=2026-09&provider=A%0A", "provider")]
    [InlineData("period=2026-09&format=xlsx", "format")]
    public async Task A_bad_export_query_is_a_400_naming_the_parameter(string query, string field) =>
        await Problem.AssertAsync(await ExportAsync(query), HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task The_reconciliation_gives_ours_published_the_differences_and_the_reasons()
    {
        await LoadAsync();

        var answer = await OkAsync(await ReconcileAsync(new
        {
            period = "2026-09", prison = "DUR", published = new { releases = 10, pickups = 6 },
        }));

        Assert.Equal(
            """{"kind":"prison","code":"DUR","name":"unknown"}""", answer.GetProperty("area").GetRawText());
        Assert.Equal(
            """{"releases":9,"pickups":9,"counted":9,"rate":1,"engagedLate":0,"notEngaged":0,"pending":""" +
            """0,"excluded":0,"excludedByReason":{"died":0,"deported":0,"returnedToCustody":0},"pickedUpOnDay0":""" +
            """9,"pickedUpOnLastDay":0}""",
            answer.GetProperty("ours").GetRawText());
        Assert.Equal("""{"releases":10,"pickups":6,"rate":0.6}""", answer.GetProperty("published").GetRawText());
        Assert.Equal(
            """{"releases":-1,"pickups":3,"ratePoints":40}""", answer.GetProperty("difference").GetRawText());
        Assert.False(answer.GetProperty("suppressed").GetBoolean());
        Assert.Equal(
            ["picked-up-on-day0", "as-of-date", "cohort", "releasing-prison"],
            answer.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("reason").GetString()));
        Assert.Equal(9, answer.GetProperty("reasons")[0].GetProperty("count").GetInt32());
        Assert.Equal(
            (21, 21, 5), (answer.GetProperty("windowDays").GetInt32(),
                answer.GetProperty("nationalWindowDays").GetInt32(),
                answer.GetProperty("suppressionThreshold").GetInt32()));

        var byArea = await OkAsync(await ReconcileAsync(new
        {
            from = "2026-09-01", to = "2026-09-30", asOf = "2026-11-23", localAuthority = "E08000035",
            published = new { releases = 25, pickups = 16 },
        }));
        Assert.Equal(
            (25, 16, 0, 0), (byArea.GetProperty("ours").GetProperty("releases").GetInt32(),
                byArea.GetProperty("ours").GetProperty("pickups").GetInt32(),
                byArea.GetProperty("difference").GetProperty("releases").GetInt32(),
                byArea.GetProperty("difference").GetProperty("pickups").GetInt32()));
        Assert.Contains(
            "destination-local-authority",
            byArea.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_figure_the_table_suppresses_is_suppressed_with_every_difference_and_count()
    {
        await LoadAsync();
        var table = await Api.GetJsonAsync("/api/v1/continuity?period=2026-09&by=prison");
        var hidden = table.GetProperty("groups").EnumerateArray()
            .Where(g => g.GetProperty("suppressed").GetBoolean()).Select(g => g.GetProperty("key").GetString())
            .ToList();
        Assert.Equal(["HUL", "WYI"], hidden); // WYI is small; HUL, the next smallest, is hidden with it

        foreach (var prison in new[] { "HUL", "WYI", "LEI", "DUR", "BWI" })
        {
            var answer = await OkAsync(await ReconcileAsync(new
            {
                period = "2026-09", prison, published = new { releases = 6, pickups = 2 },
            }));
            var suppressed = hidden.Contains(prison);
            Assert.Equal(suppressed, answer.GetProperty("suppressed").GetBoolean());
            if (suppressed)
            {
                Assert.Equal(JsonValueKind.Null, answer.GetProperty("ours").ValueKind);
                Assert.Equal(
                    """{"releases":null,"pickups":null,"ratePoints":null}""",
                    answer.GetProperty("difference").GetRawText());
                Assert.All(
                    answer.GetProperty("reasons").EnumerateArray(),
                    r => Assert.Equal(JsonValueKind.Null, r.GetProperty("count").ValueKind));
                Assert.Equal(2, answer.GetProperty("published").GetProperty("pickups").GetInt32());
            }
        }

        // A prison with no releases reveals nothing: zeros, as an empty group in the table.
        var empty = await OkAsync(await ReconcileAsync(new
        {
            period = "2026-09", prison = "BWI", published = new { releases = 6, pickups = 2 },
        }));
        Assert.Equal(-6, empty.GetProperty("difference").GetProperty("releases").GetInt32());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("difference").GetProperty("ratePoints").ValueKind);

        // Unsuppressed, with the permission the tables ask for.
        var body = new
        {
            period = "2026-09", prison = "WYI", unsuppressed = true, published = new { releases = 3, pickups = 0 },
        };
        await Problem.AssertAsync(await ReconcileAsync(body), HttpStatusCode.Forbidden);
        var unsuppressed = await OkAsync(await ReconcileAsync(body, Exporter));
        Assert.Equal(
            (3, 0, 1), (unsuppressed.GetProperty("ours").GetProperty("releases").GetInt32(),
                unsuppressed.GetProperty("ours").GetProperty("pickups").GetInt32(),
                unsuppressed.GetProperty("suppressionThreshold").GetInt32()));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"period":"2026-09","prison":"LEI"}""", "published" },
        { """{"period":"2026-09","prison":"LEI","published":{"releases":5}}""", "published.pickups" },
        { """{"period":"2026-09","prison":"LEI","published":{"releases":5,"pickups":6}}""", "published.pickups" },
        { """{"period":"2026-09","prison":"LEI","published":{"releases":-1,"pickups":0}}""", "published.releases" },
        { """{"period":"2026-09","prison":"LEI","published":{"releases":"5","pickups":0}}""", "published.releases" },
        { """{"period":"2026-09","published":{"releases":5,"pickups":1}}""", "prison" },
        {
            """{"period":"2026-09","prison":"LEI","localAuthority":"E08000035","published":{"releases":""" +
            """5,"pickups":1}}""",
            "prison"
        },
        { """{"period":"2026-09","localAuthority":"E08 000035","published":{"releases":5,"pickups":1}}""",
            "localAuthority" },
        { """{"prison":"LEI","published":{"releases":5,"pickups":1}}""", "from" },
        { """{"period":"2026-9","prison":"LEI","published":{"releases":5,"pickups":1}}""", "period" },
        { """{"period":"2026-09","to":"2026-09-30","prison":"LEI","published":{"releases":5,"pickups":1}}""",
            "period" },
        { """{"from":"2026-09-31","to":"2026-09-30","prison":"LEI","published":{"releases":5,"pickups":1}}""",
            "from" },
        { """{"period":"2026-09","asOf":"2026-11-24","prison":"LEI","published":{"releases":5,"pickups":1}}""",
            "asOf" },
        { """{"period":"2026-09","prison":"LEI","published":{"releases":5,"pickups":1},"by":"prison"}""", "by" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_reconciliation_body_is_a_400_naming_the_field(string body, string field) =>
        await Problem.AssertAsync(
            await Service.ClientAs(Analyst).PostAsync("/api/v1/continuity/reconciliation", Json.Body(body)),
            HttpStatusCode.BadRequest, field);
}
