using System.Net;
using ContinuityOfCare.Tests.Support;
using NodaTime;
using Snapshooter;
using Snapshooter.Xunit;

namespace ContinuityOfCare.Tests.Http.Contract;

/// <summary>
/// Every response shape of the contract (docs/contract.md) as integrators receive it, against committed snapshots
/// in __snapshots__: a renamed, removed or retyped field, a new status or a changed header is a visible diff. A
/// deliberate change is accepted by deleting the snapshot file and committing the one the next run writes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ContractSnapshotTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    private static readonly LocalDate ReleasedOn = new(2026, 11, 10);

    private readonly Transcript _transcript = new();

    private static object Registration(string journeyRef) =>
        JourneyApi.Registration(journeyRef, personRef: $"P-{journeyRef}", entryPoint: "court-order");

    private async Task<HttpResponseMessage> Record(string title, Task<HttpResponseMessage> response) =>
        await _transcript.AddAsync(title, await response);

    private Task<HttpResponseMessage> Get(string title, string url, HttpClient? client = null, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Add("Accept", accept);
        }

        return Record(title, (client ?? Api.Client).SendAsync(request));
    }

    [Fact]
    public async Task Journey_writes_answer_201_then_200_with_the_journey_s_version_and_stage()
    {
        var created = await Record("a registration opens a journey", Api.RegisterAsync(Registration("LEI-SNAP-1")));
        var id = (await created.ReadAsync<ContinuityOfCare.Journeys.Registration.JourneyRegistered>()).JourneyId;
        await Record("the same registration again", Api.RegisterAsync(Registration("LEI-SNAP-1")));
        await Record("release", Api.ReleaseAsync(id, JourneyApi.Release(ReleasedOn)));
        await Record("the same release again changes nothing", Api.ReleaseAsync(id, JourneyApi.Release(ReleasedOn)));
        var acknowledgement = () => Api.PostAsync(id, "handover-acknowledgement", new { }, "ack-1");
        await Record("handover acknowledged, with a key", acknowledgement());
        await Record("the same key again: the first answer", acknowledgement());
        await Record("pickup", Api.StartTreatmentAsync(id, JourneyApi.TreatmentStart(ReleasedOn.PlusDays(2))));
        var ending = new { endedOn = "2026-11-20", reason = "completed" };
        await Record("treatment ends", Api.PostAsync(id, "treatment-end", ending));

        Snapshot.Match(_transcript.ToString());
    }

    [Fact]
    public async Task The_journey_view_in_custody_through_the_whole_pathway_and_after_a_lapsed_window()
    {
        var inCustody = await Api.OpenAsync(Registration("LEI-SNAP-2"));
        await Get("just opened", $"/api/v1/journeys/{inCustody}");

        var id = await Api.OpenAsync(Registration("LEI-SNAP-3"));
        await Api.RecordAsync(id, "release-schedule", new { releaseOn = "2026-11-10" });
        await Api.RecordAsync(id, "transfer", new { transferredOn = "2026-10-01", toPrisonCode = "WYI" });
        await Api.RecordAsync(id, "referral", new { referredOn = "2026-10-20", provider = "FORWARD-LEEDS" });
        await Api.RecordAsync(
            id, "handover-acknowledgement", new { firstAppointmentOn = "2026-11-12", acknowledgedOn = "2026-10-22" });
        await Api.RecordAsync(id, "appointment", new { appointmentOn = "2026-11-14" });
        await Api.RecordAsync(id, "release", JourneyApi.Release(ReleasedOn));
        await Api.RecordAsync(id, "met-at-gate", new { metOn = "2026-11-10" });
        await Api.RecordAsync(id, "missed-appointment", new { appointmentOn = "2026-11-12" });
        await Api.RecordAsync(id, "community-treatment-start", new { startedOn = "2026-11-14" });
        await Api.RecordAsync(id, "treatment-end", new { endedOn = "2026-11-20", reason = "dropped-out" });
        await Api.RecordAsync(
            id, "corrections", new { fact = "release", correctedOn = "2026-11-09", reason = "wrong licence" });
        await Get("the whole pathway", $"/api/v1/journeys/{id}");

        var lapsed = await Api.OpenAsync(Registration("LEI-SNAP-4"));
        await Api.RecordAsync(lapsed, "release", JourneyApi.Release(new LocalDate(2026, 10, 1)));
        await Api.RecordAsync(
            lapsed,
            "lapse-reason",
            new { reason = "other", text = "no address on release", learnedOn = "2026-10-25" });
        await Api.RecordAsync(lapsed, "lapse-reason", new { reason = "no-contact-details" });
        await Api.RecordAsync(lapsed, "return-to-custody", new { returnedOn = "2026-11-02", reason = "recall" });
        await Get(
            "a window that lapsed, its reason recorded and corrected, then a return to custody",
            $"/api/v1/journeys/{lapsed}");

        Snapshot.Match(_transcript.ToString());
    }

    [Fact]
    public async Task The_provider_inbox()
    {
        var awaiting = await Api.OpenAsync(Registration("LEI-SNAP-5"));
        await Api.RecordAsync(awaiting, "release-schedule", new { releaseOn = "2026-12-01" });
        await Api.RecordAsync(awaiting, "referral", new { referredOn = "2026-11-20", provider = "FORWARD-LEEDS" });
        var acknowledged = await Api.OpenAsync(Registration("LEI-SNAP-6"));
        await Api.RecordAsync(acknowledged, "release", JourneyApi.Release(new LocalDate(2026, 11, 5)));
        await Api.RecordAsync(acknowledged, "handover-acknowledgement", new { firstAppointmentOn = "2026-11-25" });
        await Api.RecordAsync(acknowledged, "missed-appointment", new { appointmentOn = "2026-11-10" });
        var lapsed = await Api.OpenAsync(Registration("LEI-SNAP-7"));
        await Api.RecordAsync(lapsed, "release", JourneyApi.Release(new LocalDate(2026, 10, 1)));

        await Get("FORWARD-LEEDS's open handovers", "/api/v1/providers/FORWARD-LEEDS/handovers");
        await Get("a provider with none", "/api/v1/providers/CGL/handovers");
        await Get(
            "a page of one, filtered", "/api/v1/providers/FORWARD-LEEDS/handovers?filter=live&page=1&pageSize=1");
        await Get("part of a reference", "/api/v1/providers/FORWARD-LEEDS/handovers?ref=snap-7");
        await Get("a filter it does not know", "/api/v1/providers/FORWARD-LEEDS/handovers?filter=soon");

        Snapshot.Match(_transcript.ToString());
    }

    [Fact]
    public async Task The_releases_due()
    {
        var unreferred = await Api.OpenAsync(Registration("LEI-SNAP-8"));
        await Api.RecordAsync(unreferred, "release-schedule", new { releaseOn = "2026-11-30" });
        var declined = await Api.OpenAsync(Registration("LEI-SNAP-9"));
        await Api.RecordAsync(declined, "release-schedule", new { releaseOn = "2026-12-07" });
        await Api.RecordAsync(declined, "referral", new { referredOn = "2026-11-20", provider = "FORWARD-LEEDS" });
        await Api.RecordAsync(declined, "handover-decline", new { reason = "wrong-area" });

        await Get("LEI's releases in the next 14 days", "/api/v1/prisons/LEI/releases-due");
        await Get("in the next 3 days", "/api/v1/prisons/LEI/releases-due?days=3");
        await Get("the second page of one", "/api/v1/prisons/LEI/releases-due?page=2&pageSize=1");

        Snapshot.Match(_transcript.ToString());
    }

    [Fact]
    public async Task The_lapsed_reason_needed_worklists()
    {
        var lapsed = await Api.OpenAsync(Registration("LEI-SNAP-10"));
        await Api.RecordAsync(lapsed, "release", JourneyApi.Release(new LocalDate(2026, 10, 2)));
        var explained = await Api.OpenAsync(Registration("LEI-SNAP-11"));
        await Api.RecordAsync(explained, "release", JourneyApi.Release(new LocalDate(2026, 10, 2)));
        await Api.RecordAsync(explained, "lapse-reason", new { reason = "moved-area" });

        await Get(
            "FORWARD-LEEDS's lapsed windows without a reason", "/api/v1/providers/FORWARD-LEEDS/lapsed-reason-needed");
        await Get("LEI's", "/api/v1/prisons/LEI/lapsed-reason-needed");
        await Get("a prison with none", "/api/v1/prisons/WYI/lapsed-reason-needed");
        await Get("LEI's first page of ten", "/api/v1/prisons/LEI/lapsed-reason-needed?pageSize=10");

        Snapshot.Match(_transcript.ToString());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/csv")]
    public async Task Each_analyst_table(string accept)
    {
        var release = new LocalDate(2026, 9, 7);
        var prisons = new[] { ("LEI", 7, (int?)2), ("WYI", 3, 25), ("HUL", 6, null), ("DUR", 9, 0) };
        foreach (var (prison, count, pickupDay) in prisons)
        {
            for (var i = 0; i < count; i++)
            {
                var id = await Api.OpenAsync(JourneyApi.Registration(prisonCode: prison));
                await Api.RecordAsync(id, "release", JourneyApi.Release(release));
                if (pickupDay is { } day)
                {
                    var pickup = JourneyApi.TreatmentStart(release.PlusDays(day));
                    await Api.RecordAsync(id, "community-treatment-start", pickup);
                }
            }
        }

        await Service.CatchUpAsync();
        Service.SetToday(new LocalDate(2026, 12, 31)); // past the 12-week retention horizon

        const string period = "from=2026-09-01&to=2026-09-30";
        await Get("continuity", $"/api/v1/continuity?{period}", accept: accept);
        await Get("continuity by prison, with suppression", $"/api/v1/continuity?{period}&by=prison", accept: accept);
        await Get(
            "continuity by month, as of the day it was recorded",
            "/api/v1/continuity?from=2026-08-01&to=2026-09-30&by=month&asOf=2026-11-23", accept: accept);
        await Get("time to pickup by sex", $"/api/v1/continuity/time-to-pickup?{period}&by=sex", accept: accept);
        await Get("retention by prison", $"/api/v1/retention?{period}&by=prison", accept: accept);
        await Get(
            "continuity by prison and month (a two-way table), for a named period",
            "/api/v1/continuity?period=2026-Q3&by=prison,month", accept: accept);
        await Get("lapse reasons by prison", $"/api/v1/continuity/lapse-reasons?{period}&by=prison", accept: accept);
        await Get("continuity by release day", $"/api/v1/continuity?{period}&by=releaseDay", accept: accept);

        Snapshot.Match(_transcript.ToString(), SnapshotNameExtension.Create(accept == "text/csv" ? "csv" : "json"));
    }

    [Fact]
    public async Task A_file_of_treatment_starts_as_a_dry_run_then_recorded_as_JSON_and_as_CSV()
    {
        var byId = await Api.OpenAsync(Registration("LEI-SNAP-IMPORT-1"));
        await Api.RecordAsync(byId, "release", JourneyApi.Release(ReleasedOn));
        var byReference = await Api.OpenAsync(Registration("LEI-SNAP-IMPORT-2"));
        await Api.RecordAsync(byReference, "release", JourneyApi.Release(ReleasedOn));
        const string url = "/api/v1/providers/FORWARD-LEEDS/treatment-starts/import";
        var file = "journeyId,journeyReference,prisonCode,startedOn\n" +
                   $"{byId},,,2026-11-12\n" +
                   ",LEI-SNAP-IMPORT-2,LEI,13/11/2026\n" +
                   ",LEI-SNAP-NOBODY,LEI,2026-11-12\n" +
                   $"{byId},,,2026-11-30\n";
        HttpRequestMessage Post(string query, string? accept = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url + query)
            {
                Content = new StringContent(file, null, "text/csv"),
            };
            if (accept is not null)
            {
                request.Headers.Add("Accept", accept);
            }

            return request;
        }

        await Record("a dry run", Api.Client.SendAsync(Post("?dryRun=true")));
        await Record("recorded", Api.Client.SendAsync(Post("")));
        await Record("the same file again, answered as CSV", Api.Client.SendAsync(Post("", "text/csv")));
        await Record(
            "a file with an unknown column",
            Api.Client.PostAsync(url, new StringContent("journeyId,startedOn,notes\nx,y,z\n", null, "text/csv")));

        Snapshot.Match(_transcript.ToString());
    }

    [Fact]
    public async Task The_organisation_directory_and_the_region_breakdown()
    {
        var release = new LocalDate(2026, 9, 7);
        foreach (var prison in new[] { "LEI", "LEI", "WDI", "HUL" })
        {
            var id = await Api.OpenAsync(JourneyApi.Registration(prisonCode: prison));
            await Api.RecordAsync(id, "release", JourneyApi.Release(release));
        }

        await Service.CatchUpAsync();
        var unsuppressed = Service.ClientAs(
            ServiceFactory.Token(["analyst"], ["OHID"], [ContinuityOfCare.Access.Claims.UnsuppressedFigures]));
        await Get(
            "continuity by region (an unknown prison's journeys under unknown)",
            "/api/v1/continuity?period=2026-09&by=region&unsuppressed=true", unsuppressed);
        await Get(
            "retention by prison, as CSV, names beside codes",
            "/api/v1/retention?period=2026-09&by=prison&unsuppressed=true", unsuppressed, "text/csv");

        var operatorClient = Service.ClientAs(ServiceFactory.Token("operator", "PLATFORM"));
        const string directory = "code,kind,name,region,category,holdsWomen\n" +
                                 "LEI,prison,HMP Leeds,Yorkshire and The Humber,B,no\n" +
                                 "NHI,prison,HMP/YOI New Hall,Yorkshire and The Humber,closed,yes\n" +
                                 "E08000035,local-authority,Leeds,Yorkshire and The Humber,,\n" +
                                 "FORWARD-LEEDS,provider,Forward Leeds,Yorkshire and The Humber,,\n";
        await Record(
            "an operator replaces the directory",
            operatorClient.PutAsync("/api/v1/organisations", new StringContent(directory, null, "text/csv")));
        await Get("the directory in use", "/api/v1/organisations", operatorClient);
        await Get("the directory as CSV", "/api/v1/organisations", operatorClient, "text/csv");
        await Record(
            "400 naming the row and column",
            operatorClient.PutAsync(
                "/api/v1/organisations",
                new StringContent(
                    directory + "WDI,prison,HMP Wakefield,Yorkshire and The Humber,,no\n", null, "text/csv")));

        Snapshot.Match(_transcript.ToString());
    }

    [Fact]
    public async Task The_audit_export_and_the_reconciliation_with_a_published_figure()
    {
        var release = new LocalDate(2026, 9, 7);
        foreach (var (prison, pickupDay) in new[]
                 {
                     ("LEI", (int?)0), ("LEI", 21), ("LEI", 22), ("LEI", null), ("LEI", 3), ("LEI", 1), ("WYI", 2),
                     ("HUL", null), ("HUL", null), ("HUL", null), ("HUL", null), ("HUL", null),
                 })
        {
            var id = await Api.OpenAsync(JourneyApi.Registration(prisonCode: prison));
            await Api.RecordAsync(id, "release", JourneyApi.Release(release));
            if (pickupDay is { } day)
            {
                await Api.RecordAsync(
                    id, "community-treatment-start", JourneyApi.TreatmentStart(release.PlusDays(day)));
            }
        }

        await Service.CatchUpAsync();
        var exporter = Service.ClientAs(
            ServiceFactory.Token(["analyst"], ["OHID"], [ContinuityOfCare.Access.Claims.UnsuppressedFigures]));
        var analyst = Service.ClientAs(ServiceFactory.Token("analyst", "LEEDS-PUBLIC-HEALTH"));
        await Get("the audit export", "/api/v1/continuity/audit-export?period=2026-09", exporter);
        await Get(
            "the audit export for a prison, as CSV",
            "/api/v1/continuity/audit-export?period=2026-09&prison=WYI&format=csv", exporter);
        await Get(
            "403: the export needs figures:unsuppressed", "/api/v1/continuity/audit-export?period=2026-09", analyst);
        Task<HttpResponseMessage> Reconcile(object body) =>
            analyst.PostAsync("/api/v1/continuity/reconciliation", Json.Body(body));
        await Record("reconciliation for a prison", Reconcile(new
        {
            period = "2026-09", prison = "LEI", published = new { releases = 6, pickups = 2 },
        }));
        // WYI is small, and HUL, the next smallest, is hidden with it in the table by prison: so here too.
        await Record("reconciliation for a prison the table suppresses", Reconcile(new
        {
            period = "2026-09", prison = "HUL", published = new { releases = 2, pickups = 1 },
        }));
        await Record("400 naming the published field", Reconcile(new
        {
            period = "2026-09", localAuthority = "E08000035", published = new { releases = 1, pickups = 2 },
        }));

        Snapshot.Match(_transcript.ToString());
    }

    [Fact]
    public async Task Problem_answers()
    {
        var id = await Api.ReleasedAsync(ReleasedOn);
        var anonymous = Service.ClientAs(null);

        await Record("400 naming every field at fault", Api.RegisterAsync(new { journeyRef = "LEI-SNAP-BAD" }));
        var unknownCode = new { journeyRef = "LEI-SNAP-BAD", sex = "m" };
        await Record("400 for a code the contract does not have", Api.RegisterAsync(unknownCode));
        var truncated = Json.Body("{\"diedOn\":");
        await Record("400 for a body that is not JSON", Api.Client.PostAsync($"/api/v1/journeys/{id}/death",
            truncated));
        await Get("400 naming the query parameter", "/api/v1/continuity?from=2026-02-30&to=2026-03-31");
        await Get("401 without a token", $"/api/v1/journeys/{id}", anonymous);
        await Get("401 with a bad token", $"/api/v1/journeys/{id}", Service.ClientAs("not.a.token"));
        var leeds = Service.ClientAs(ServiceFactory.Token("prison", "LEI"));
        await Get("403 for the wrong role", "/api/v1/continuity?from=2026-11-01&to=2026-11-30", leeds);
        var wakefield = Service.ClientAs(ServiceFactory.Token("prison", "WYI"));
        await Get("403 for another prison's journey", $"/api/v1/journeys/{id}", wakefield);
        await Get("404 for an unknown journey", $"/api/v1/journeys/{Guid.Empty}");
        await Record("404 for an unknown path", Api.Client.PostAsync("/api/v1/nothing", Json.Body("{}")));
        await Record("409 naming the field", Api.ReleaseAsync(id, JourneyApi.Release(ReleasedOn.PlusDays(1))));
        await Record("409 for a lapse reason while the window is open",
            Api.PostAsync(id, "lapse-reason", new { reason = "did-not-attend" }));
        await Api.OpenAsync(Registration("LEI-SNAP-REF"));
        var different = JourneyApi.Registration("LEI-SNAP-REF", substanceGroup: "alcohol");
        await Record("409 for a reference used differently", Api.RegisterAsync(different));
        await Api.PostAsync(id, "missed-appointment", new { appointmentOn = "2026-11-11" }, "visit-1");
        var another = new { appointmentOn = "2026-11-12" };
        await Record("409 for a key used for another request", 
            Api.PostAsync(id, "missed-appointment", another, "visit-1"));

        Snapshot.Match(_transcript.ToString());
    }
}
