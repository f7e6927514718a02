using System.Net;
using System.Text;
using System.Text.Json;
using ContinuityOfCare.Access;
using ContinuityOfCare.Journeys.TreatmentStart;
using ContinuityOfCare.Tests.Support;
using Npgsql;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// A provider's file of treatment starts: each row answered as the single request would be, the accepted ones
/// committed together or not at all, a second upload recording nothing, and only for the provider's own journeys.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TreatmentStartImportTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    private const string Url = "/api/v1/providers/FORWARD-LEEDS/treatment-starts/import";

    private static readonly string Leeds = ServiceFactory.Token("provider", "FORWARD-LEEDS");

    private static StringContent Csv(string csv) => new(csv, Encoding.UTF8, "text/csv");

    private Task<HttpResponseMessage> PostAsync(string csv, string? token = null, string query = "") =>
        Service.ClientAs(token ?? Leeds).PostAsync(Url + query, Csv(csv));

    private async Task<TreatmentStartsImported> ImportAsync(string csv, string query = "", string? token = null)
    {
        var response = await PostAsync(csv, token, query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<TreatmentStartsImported>(body, ContinuityOfCare.Http.ApiJson.Options)!;
    }

    /// <summary>A journey opened at LEI with this reference, released to <paramref name="provider"/>.</summary>
    private async Task<Guid> ReleasedAsync(string journeyRef, string provider = "FORWARD-LEEDS")
    {
        var id = await Api.OpenAsync(JourneyApi.Registration(journeyRef));
        await Api.RecordAsync(id, "release", new
        {
            releasedOn = "2026-11-10", releaseType = "licence", destinationLocalAuthority = "E08000035",
            communityProvider = provider, noFixedAbode = false, naloxoneSupplied = true, metAtGate = true,
        });
        return id;
    }

    [Fact]
    public async Task Each_row_is_recorded_already_recorded_or_refused_in_the_words_of_the_single_request()
    {
        var byRef = await ReleasedAsync("LEI-IMP-1");
        var byId = await ReleasedAsync("LEI-IMP-2");
        var pickedUp = await ReleasedAsync("LEI-IMP-3");
        await Api.RecordAsync(pickedUp, "community-treatment-start", new { startedOn = "2026-11-12" });
        var pickedUpEarlier = await ReleasedAsync("LEI-IMP-3B");
        await Api.RecordAsync(pickedUpEarlier, "community-treatment-start", new { startedOn = "2026-11-12" });
        var inCustody = await Api.OpenAsync(JourneyApi.Registration("LEI-IMP-4"));
        await Api.RecordAsync(inCustody, "referral", new { referredOn = "2026-11-01", provider = "FORWARD-LEEDS" });
        var unknown = Guid.NewGuid();

        var imported = await ImportAsync(
            "journeyId,journeyReference,prisonCode,startedOn\r\n" +
            ",LEI-IMP-1,LEI,2026-11-12\r\n" +
            $"{byId},,,13/11/2026\r\n" +
            $"{pickedUp},,,2026-11-12\r\n" +
            $"{pickedUpEarlier},,,2026-11-14\r\n" +
            $"{inCustody},,,2026-11-12\r\n" +
            $"{unknown},,,2026-11-12\r\n" +
            ",LEI-NOBODY,LEI,2026-11-12\r\n" +
            ",LEI-IMP-1,LEI,2026-11-12\r\n" +
            $"{byId},,,2026-11-24\r\n");

        Assert.Equal(new ImportTotals(9, 2, 1, 6), imported.Totals);
        Assert.False(imported.DryRun);
        Assert.Equal("FORWARD-LEEDS", imported.Provider);
        string Says(int row) => Describe(imported.Rows.Single(r => r.Row == row));
        Assert.Equal($"recorded {byRef}", Says(2));
        Assert.Equal($"recorded {byId}", Says(3));
        Assert.Equal($"already-recorded {pickedUp}", Says(4));
        Assert.Equal(
            "refused conflict startedOn: community treatment already started on 2026-11-12; correct the date instead",
            Says(5));
        Assert.Equal(
            "refused conflict startedOn: the journey has no release yet: community treatment starts after release",
            Says(6));
        Assert.Equal($"refused unknown-journey journeyId: There is no journey {unknown}.", Says(7));
        Assert.Equal(
            "refused unknown-journey journeyReference: no journey LEI-NOBODY at LEI is handed over to FORWARD-LEEDS",
            Says(8));
        Assert.Equal("refused conflict journeyReference: names the same journey as row 2: one row a journey", Says(9));
        Assert.Equal(
            "refused invalid startedOn: is after today (2026-11-23 in Europe/London): record what has happened",
            Says(10));

        Assert.Equal(new LocalDate(2026, 11, 12), (await Api.JourneyAsync(byRef)).CommunityTreatmentStartedOn);
        Assert.Equal(new LocalDate(2026, 11, 13), (await Api.JourneyAsync(byId)).CommunityTreatmentStartedOn);
        // Recorded as the single request records: by this user, as the provider the journey is handed over to.
        var entry = (await Api.JourneyAsync(byRef)).History.Last();
        Assert.Equal("community_treatment_started", entry.Type);
        Assert.Equal(new RecordedBy("test-user", Roles.Provider, "FORWARD-LEEDS"), entry.RecordedBy);
    }

    [Fact]
    public async Task The_same_file_again_records_nothing_and_answers_already_recorded_for_each_row()
    {
        var (a, b) = (await ReleasedAsync("LEI-IMP-5"), await ReleasedAsync("LEI-IMP-6"));
        var file = $"journeyId,startedOn\n{a},2026-11-12\n{b},2026-11-13\n";
        Assert.Equal(new ImportTotals(2, 2, 0, 0), (await ImportAsync(file)).Totals);
        var events = await Service.EventCountAsync();

        var again = await ImportAsync(file);

        Assert.Equal(new ImportTotals(2, 0, 2, 0), again.Totals);
        Assert.All(again.Rows, r => Assert.Equal(ImportOutcome.AlreadyRecorded, r.Outcome));
        Assert.Equal(events, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_dry_run_answers_what_would_happen_and_records_nothing()
    {
        var a = await ReleasedAsync("LEI-IMP-7");
        var file = $"journeyId,startedOn\n{a},2026-11-12\n{Guid.NewGuid()},2026-11-12\n";
        var events = await Service.EventCountAsync();

        var preview = await ImportAsync(file, "?dryRun=true");

        Assert.True(preview.DryRun);
        Assert.Equal(new ImportTotals(2, 1, 0, 1), preview.Totals);
        Assert.Equal(events, await Service.EventCountAsync());
        Assert.Null((await Api.JourneyAsync(a)).CommunityTreatmentStartedOn);
        Assert.Equal(preview with { DryRun = false }, await ImportAsync(file, "?dryRun=false"), new SameAnswer());
    }

    [Fact]
    public async Task A_file_whose_commit_fails_leaves_every_journey_as_it_was_and_can_be_sent_again()
    {
        var (a, b) = (await ReleasedAsync("LEI-IMP-8"), await ReleasedAsync("LEI-IMP-9"));
        var file = $"journeyId,startedOn\n{a},2026-11-12\n{b},2026-11-13\n";
        var (eventsOfA, eventsOfB) = (await Service.EventCountAsync(a), await Service.EventCountAsync(b));
        // The database refuses the second journey's event: a real failure inside the commit, after the first's insert.
        await SqlAsync(
            "create function refuse_event() returns trigger language plpgsql as " +
            "$$ begin raise exception 'refused by the test'; end $$; " +
            "create trigger refuse_event before insert on mt_events for each row " +
            $"when (new.stream_id = '{b}') execute function refuse_event();");
        try
        {
            var failed = await PostAsync(file);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            // (Marten fills the failed append's sequence numbers with a tombstone event of its own, on no journey.)
            Assert.Equal(eventsOfA, await Service.EventCountAsync(a));
            Assert.Equal(eventsOfB, await Service.EventCountAsync(b));
            Assert.Null((await Api.JourneyAsync(a)).CommunityTreatmentStartedOn);
        }
        finally
        {
            await SqlAsync("drop trigger refuse_event on mt_events; drop function refuse_event();");
        }

        Assert.Equal(new ImportTotals(2, 2, 0, 0), (await ImportAsync(file)).Totals);
    }

    [Fact]
    public async Task Two_uploads_of_one_file_at_once_record_each_start_once()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await ReleasedAsync($"LEI-RACE-{i}"));
        }

        // In reverse order too: the streams are locked in id order, so the two queue rather than deadlock.
        var file = "journeyId,startedOn\n" + string.Concat(ids.Select(id => $"{id},2026-11-12\n"));
        var reversed = "journeyId,startedOn\n" +
                       string.Concat(ids.AsEnumerable().Reverse().Select(id => $"{id},2026-11-12\n"));
        var answers = await Task.WhenAll(ImportAsync(file), ImportAsync(reversed));

        Assert.Equal(5, answers.Sum(a => a.Totals.Recorded));
        Assert.Equal(5, answers.Sum(a => a.Totals.AlreadyRecorded));
        foreach (var id in ids)
        {
            Assert.Equal(1, (await Api.HistoryAsync(id)).Count(t => t == "community_treatment_started"));
        }
    }

    [Fact]
    public async Task Only_the_provider_s_own_journeys_are_written_and_others_are_not_found_by_reference()
    {
        var theirs = await ReleasedAsync("LEI-IMP-10", provider: "CGL");
        // The reference first: the row after it, naming the same journey by id, is not told it repeats it.
        var file = "journeyId,journeyReference,prisonCode,startedOn\n" +
                   $",LEI-IMP-10,LEI,2026-11-12\n{theirs},,,2026-11-12\n";

        // A caller working for both providers: a file is for one of them, and CGL's journey is not FORWARD-LEEDS's.
        var imported = await ImportAsync(
            file, token: ServiceFactory.Token([Roles.Provider], ["FORWARD-LEEDS", "CGL"]));

        Assert.Equal(
            "refused unknown-journey journeyReference: no journey LEI-IMP-10 at LEI is handed over to FORWARD-LEEDS",
            Describe(imported.Rows[0]));
        Assert.Null(imported.Rows[0].JourneyId);
        Assert.Equal(
            $"refused forbidden journeyId: Journey {theirs} is not handed over to a provider this caller works for.",
            Describe(imported.Rows[1]));
        Assert.Null((await Api.JourneyAsync(theirs)).CommunityTreatmentStartedOn);
    }

    [Theory]
    [InlineData("provider", "CGL")]
    [InlineData("prison", "LEI")]
    [InlineData("analyst", "OHID")]
    public async Task Another_provider_a_prison_team_and_an_analyst_are_refused_the_file_whole(string role, string org)
    {
        var a = await ReleasedAsync("LEI-IMP-11");
        var response = await PostAsync($"journeyId,startedOn\n{a},2026-11-12\n", ServiceFactory.Token(role, org));

        await Problem.AssertAsync(response, HttpStatusCode.Forbidden);
        Assert.Null((await Api.JourneyAsync(a)).CommunityTreatmentStartedOn);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_refused_whole_naming_what()
    {
        var client = Service.ClientAs(Leeds);
        await Problem.AssertAsync(
            await client.PostAsync(Url, Json.Body(new { startedOn = "2026-11-12" })),
            HttpStatusCode.UnsupportedMediaType);
        await Problem.AssertAsync(
            await client.PostAsync(Url, Csv("journeyId,startedOn\n" + new string('x', TreatmentStartFile.MaxBytes))),
            HttpStatusCode.RequestEntityTooLarge);
        await Problem.AssertAsync(
            await client.PostAsync(
                Url, new ByteArrayContent([0x63, 0xff]) { Headers = { { "Content-Type", "text/csv" } } }),
            HttpStatusCode.BadRequest, "body");
        await Problem.AssertAsync(await PostAsync("journeyId,notes\nx,y\n"), HttpStatusCode.BadRequest, "row 1");
        await Problem.AssertAsync(await PostAsync("journeyId,startedOn\n"), HttpStatusCode.BadRequest, "body");
        await Problem.AssertAsync(
            await PostAsync("journeyId,startedOn\nx,y\n", query: "?dryRun=yes"), HttpStatusCode.BadRequest, "dryRun");
        await Problem.AssertAsync(
            await client.PostAsync(
                "/api/v1/providers/FORWARD LEEDS/treatment-starts/import", Csv("journeyId,startedOn\n")),
            HttpStatusCode.BadRequest, "provider");
    }

    [Fact]
    public async Task A_spreadsheet_s_file_with_a_byte_order_mark_and_CRLF_is_read_and_answered_as_CSV_when_asked()
    {
        var a = await ReleasedAsync("LEI-IMP-12");
        var request = new HttpRequestMessage(HttpMethod.Post, Url)
        {
            Content = new ByteArrayContent(
                [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(
                    "journeyReference,prisonCode,startedOn\r\nLEI-IMP-12,LEI,12/11/2026\r\n=1+1,LEI,2026-11-12\r\n")])
            {
                Headers = { { "Content-Type", "text/csv; charset=utf-8" } },
            },
            Headers = { { "Accept", "text/csv" } },
        };

        var response = await Service.ClientAs(Leeds).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "row,journeyId,journeyReference,prisonCode,startedOn,outcome,refusal,field,reason\n" +
            $"2,{a},LEI-IMP-12,LEI,12/11/2026,recorded,,,\n" +
            "3,,'=1+1,LEI,2026-11-12,refused,unknown-journey,journeyReference," +
            "no journey =1+1 at LEI is handed over to FORWARD-LEEDS\n",
            await response.Content.ReadAsStringAsync());
    }

    private static string Describe(ImportedRow row) => row.Outcome == ImportOutcome.Refused
        ? $"refused {ContinuityOfCare.Http.ApiJson.Code(row.Refusal!.Value)} " +
          string.Join("; ", row.Errors!.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))
        : $"{ContinuityOfCare.Http.ApiJson.Code(row.Outcome)} {row.JourneyId}";

    private async Task SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Answers compared by what they say (records compare their lists by reference).</summary>
    private sealed class SameAnswer : IEqualityComparer<TreatmentStartsImported>
    {
        public bool Equals(TreatmentStartsImported? x, TreatmentStartsImported? y) =>
            JsonSerializer.Serialize(x, ContinuityOfCare.Http.ApiJson.Options) ==
            JsonSerializer.Serialize(y, ContinuityOfCare.Http.ApiJson.Options);

        public int GetHashCode(TreatmentStartsImported obj) => 0;
    }
}
