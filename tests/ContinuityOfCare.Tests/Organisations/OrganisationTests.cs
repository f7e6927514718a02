using System.Net;
using System.Text;
using System.Text.Json;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Organisations;

/// <summary>
/// The organisation directory over HTTP: read by anyone signed in, replaced by operators only, and shown beside codes
/// in the analysts' tables, with unknown codes kept and named as unknown.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OrganisationTests(PostgresCluster postgres)
    : ServiceTests(postgres, new Dictionary<string, string> { ["Continuity:SuppressionThreshold"] = "1" })
{
    private const string Url = "/api/v1/organisations";

    private static readonly LocalDate Released = new(2026, 10, 5);

    private static readonly string Directory =
        "code,kind,name,region,category,holdsWomen\n" +
        "LEI,prison,Leeds (renamed),North,B,no\n" +
        "HUL,prison,HMP Test Hull,East,C,no\n" +
        "E08000035,local-authority,Leeds City,North,,\n";

    private HttpClient Operator => Service.ClientAs(ServiceFactory.Token("operator", "PLATFORM"));

    private HttpClient Analyst => Service.ClientAs(ServiceFactory.Token("analyst", "OHID"));

    private static StringContent Csv(string csv) => new(csv, Encoding.UTF8, "text/csv");

    [Fact]
    public async Task Anyone_signed_in_reads_the_shipped_directory_as_JSON_or_CSV()
    {
        var prison = Service.ClientAs(ServiceFactory.Token("prison", "LEI"));
        var list = await (await prison.GetAsync(Url)).ReadJsonAsync();

        Assert.Equal("shipped", list.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("updatedAt").ValueKind);
        var leeds = list.GetProperty("organisations").EnumerateArray()
            .Single(o => o.GetProperty("code").GetString() == "LEI");
        Assert.Equal(
            "{\"code\":\"LEI\",\"kind\":\"prison\",\"name\":\"HMP Leeds\",\"region\":\"Yorkshire and The Humber\"," +
            "\"category\":\"B\",\"holdsWomen\":false}",
            leeds.GetRawText());

        var csv = new HttpRequestMessage(HttpMethod.Get, Url) { Headers = { { "Accept", "text/csv" } } };
        var text = await (await prison.SendAsync(csv)).Content.ReadAsStringAsync();
        Assert.StartsWith("code,kind,name,region,category,holdsWomen\n", text, StringComparison.Ordinal);
        Assert.Contains("\nLEI,prison,HMP Leeds,Yorkshire and The Humber,B,no\n", text, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Service.ClientAs(null).GetAsync(Url)).StatusCode);
    }

    [Fact]
    public async Task An_operator_replaces_the_directory_and_the_tables_name_codes_by_it()
    {
        await Api.ReleasedAsync(Released);
        await Service.CatchUpAsync();
        const string byPrison = "/api/v1/continuity?from=2026-10-01&to=2026-10-31&by=prison";
        Assert.Equal("HMP Leeds", Group(await GetAsync(Analyst, byPrison), "LEI").GetProperty("name").GetString());

        var put = await Operator.PutAsync(Url, Csv(Directory));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(3, (await put.ReadJsonAsync()).GetProperty("organisations").GetArrayLength());

        var list = await GetAsync(Analyst, Url);
        Assert.Equal("uploaded", list.GetProperty("source").GetString());
        Assert.Equal(
            ["LEI", "HUL", "E08000035"],
            list.GetProperty("organisations").EnumerateArray().Select(o => o.GetProperty("code").GetString()));
        Assert.Equal(
            "Leeds (renamed)", Group(await GetAsync(Analyst, byPrison), "LEI").GetProperty("name").GetString());
        Assert.Equal(
            "North", Group(await GetAsync(Analyst, "/api/v1/continuity?period=2026-10&by=region"), "North")
                .GetProperty("key").GetString());
        // The provider is no longer in the directory: still counted, now named as unknown.
        Assert.Equal(
            "unknown",
            Group(await GetAsync(Analyst, "/api/v1/retention?period=2026-10&by=provider"), "FORWARD-LEEDS")
                .GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_worklists_name_the_prison_and_the_provider_beside_their_codes_by_the_directory_in_use()
    {
        await Api.ReleasedAsync(new LocalDate(2026, 10, 14)); // window closed: in the inbox and the lapsed lists
        var due = await Api.OpenAsync();
        await Api.RecordAsync(due, "release-schedule", new { releaseOn = "2026-11-28" });
        await Api.RecordAsync(due, "referral", new { referredOn = "2026-11-20", provider = "FORWARD-LEEDS" });
        var provider = Service.ClientAs(ServiceFactory.Token("provider", "FORWARD-LEEDS"));
        var prison = Service.ClientAs(ServiceFactory.Token("prison", "LEI"));

        var inbox = await GetAsync(provider, "/api/v1/providers/FORWARD-LEEDS/handovers");
        Assert.Equal("Forward Leeds", inbox.GetProperty("providerName").GetString());
        Assert.All(
            inbox.GetProperty("handovers").EnumerateArray(),
            h => Assert.Equal("HMP Leeds", h.GetProperty("prisonName").GetString()));
        var releasesDue = await GetAsync(prison, "/api/v1/prisons/LEI/releases-due");
        Assert.Equal("HMP Leeds", releasesDue.GetProperty("prisonName").GetString());
        Assert.Equal(
            "Forward Leeds",
            releasesDue.GetProperty("releases").EnumerateArray().Single().GetProperty("providerName").GetString());
        foreach (var (client, url, name) in new[]
                 {
                     (provider, "/api/v1/providers/FORWARD-LEEDS/lapsed-reason-needed", "Forward Leeds"),
                     (prison, "/api/v1/prisons/LEI/lapsed-reason-needed", "HMP Leeds"),
                 })
        {
            var lapsed = await GetAsync(client, url);
            Assert.Equal(name, lapsed.GetProperty("organisationName").GetString());
            var item = lapsed.GetProperty("journeys").EnumerateArray().Single();
            Assert.Equal(
                ("HMP Leeds", "Forward Leeds"),
                (item.GetProperty("prisonName").GetString(), item.GetProperty("providerName").GetString()));
        }

        // Renamed by an operator, or no longer in the directory: the worklists follow, and keep every journey.
        Assert.Equal(HttpStatusCode.OK, (await Operator.PutAsync(Url, Csv(Directory))).StatusCode);
        inbox = await GetAsync(provider, "/api/v1/providers/FORWARD-LEEDS/handovers");
        Assert.Equal("unknown", inbox.GetProperty("providerName").GetString());
        Assert.Equal(
            ["Leeds (renamed)", "Leeds (renamed)"],
            inbox.GetProperty("handovers").EnumerateArray().Select(h => h.GetProperty("prisonName").GetString()));
    }

    [Theory]
    [InlineData("analyst", "OHID")]
    [InlineData("prison", "LEI")]
    [InlineData("provider", "FORWARD-LEEDS")]
    public async Task Only_operators_may_replace_the_directory(string role, string organisation)
    {
        var client = Service.ClientAs(ServiceFactory.Token(role, organisation));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsync(Url, Csv(Directory))).StatusCode);
        var anonymous = Service.ClientAs(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync(Url, Csv(Directory))).StatusCode);
        Assert.Equal("shipped", (await GetAsync(Analyst, Url)).GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_directory_with_a_bad_row_is_refused_naming_row_and_column_and_nothing_is_replaced()
    {
        var bad = Directory + "NMI,prison,HMP Nottingham,East Midlands,,no\n";
        var problem = await Problem.AssertAsync(
            await Operator.PutAsync(Url, Csv(bad)), HttpStatusCode.BadRequest, "row 5, category");
        Assert.Contains("row 5, category: must be one of", problem.GetProperty("detail").GetString());
        Assert.Equal("shipped", (await GetAsync(Analyst, Url)).GetProperty("source").GetString());

        await Problem.AssertAsync(
            await Operator.PutAsync(Url, new StringContent(Directory, Encoding.UTF8, "application/json")),
            HttpStatusCode.UnsupportedMediaType);
        await Problem.AssertAsync(
            await Operator.PutAsync(
                Url, new ByteArrayContent([0x63, 0xff]) { Headers = { { "Content-Type", "text/csv" } } }),
            HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task Tables_carry_names_beside_codes_and_keep_unknown_codes_as_unknown_in_JSON_and_CSV()
    {
        await Api.ReleasedAsync(Released);
        var hull = await Api.OpenAsync(JourneyApi.Registration(prisonCode: "HUL"));
        await Api.RecordAsync(hull, "release", JourneyApi.Release(Released));
        await Service.CatchUpAsync();

        var byPrison = await GetAsync(Analyst, "/api/v1/continuity?period=2026-10&by=prison");
        Assert.Equal("HMP Leeds", Group(byPrison, "LEI").GetProperty("name").GetString());
        Assert.Equal("unknown", Group(byPrison, "HUL").GetProperty("name").GetString());
        Assert.Equal(1, Group(byPrison, "HUL").GetProperty("released").GetInt32());
        Assert.False(byPrison.GetProperty("total").TryGetProperty("name", out _)); // only organisation groups

        var byMonth = await GetAsync(Analyst, "/api/v1/continuity?period=2026-10&by=month");
        Assert.False(Group(byMonth, "2026-10").TryGetProperty("name", out _));

        var byRegion = await GetAsync(Analyst, "/api/v1/continuity/time-to-pickup?period=2026-10&by=region");
        Assert.Equal(
            ["Yorkshire and The Humber", "unknown"],
            byRegion.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()));
        Assert.Equal("region", byRegion.GetProperty("by").GetString());

        var csv = new HttpRequestMessage(HttpMethod.Get, "/api/v1/retention?period=2026-10&by=localAuthority")
        {
            Headers = { { "Accept", "text/csv" } },
        };
        var lines = (await (await Analyst.SendAsync(csv)).Content.ReadAsStringAsync()).Split('\n');
        Assert.StartsWith("key,name,released,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("all,,2,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("E08000035,Leeds,2,", lines[2], StringComparison.Ordinal);

        var twoWay = await GetAsync(Analyst, "/api/v1/continuity?period=2026-10&by=region,prison");
        Assert.Equal(
            ["unknown", "HMP Leeds"], // HUL, LEI
            twoWay.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(
            "HMP Leeds",
            twoWay.GetProperty("cells")[0].GetProperty("columns")[1].GetProperty("name").GetString());
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static JsonElement Group(JsonElement report, string key) =>
        report.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == key);
}
