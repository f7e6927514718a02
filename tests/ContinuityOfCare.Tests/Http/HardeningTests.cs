using ContinuityOfCare.Journeys;
using ContinuityOfCare.Worklists;
using System.Net;
using System.Text.Json;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// The defects that fault and hostile-input probes found, each pinned by a test that failed before its fix.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HardeningTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    private static readonly LocalDate ReleasedOn = new(2026, 11, 10);

    private JourneyApi As(string role, string organisation, string user = "test-user") =>
        new(Service.ClientAs(ServiceFactory.Token([role], [organisation], user: user)));

    [Fact]
    public async Task An_Idempotency_Key_is_the_callers_own_so_another_callers_identical_key_is_another_write()
    {
        var id = await Api.ReleasedAsync(ReleasedOn);
        var forwardLeeds = As("provider", "FORWARD-LEEDS");
        var cgl = As("provider", "CGL-WAKEFIELD");
        var first = await forwardLeeds.PostAsync(id, "handover-acknowledgement", new { }, "ack-1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await As("prison", "LEI").RecordAsync(id, "handover-redirect", new { toProvider = "CGL-WAKEFIELD" });

        var second = await cgl.PostAsync(id, "handover-acknowledgement", new { }, "ack-1");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(5, (await second.ReadAsync<JourneyWritten>()).Version);
        var handover = (await Api.JourneyAsync(id)).Handover!;
        Assert.Equal(("CGL-WAKEFIELD", HandoverStatus.Acknowledged), (handover.Provider, handover.Status));
        var inbox = await cgl.GetAsync<HandoverInbox>("/api/v1/providers/CGL-WAKEFIELD/handovers");
        Assert.Equal(HandoverStatus.Acknowledged, inbox.Handovers.Single(h => h.JourneyId == id).Status);

        // The first caller's repeat still gets its own first answer, not the second caller's.
        var repeat = await forwardLeeds.PostAsync(id, "handover-acknowledgement", new { }, "ack-1");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_provider_that_declined_or_was_redirected_away_has_no_access_to_the_journey()
    {
        var forwardLeeds = As("provider", "FORWARD-LEEDS");
        var declined = await Api.ReleasedAsync(ReleasedOn);
        await forwardLeeds.RecordAsync(declined, "handover-decline", new { reason = "wrong-area" });
        var redirected = await Api.ReleasedAsync(ReleasedOn);
        await As("prison", "LEI").RecordAsync(redirected, "handover-redirect", new { toProvider = "CGL-WAKEFIELD" });
        var before = (await Service.EventCountAsync(declined), await Service.EventCountAsync(redirected));

        foreach (var id in new[] { declined, redirected })
        {
            await Problem.AssertAsync(
                await forwardLeeds.Client.GetAsync($"/api/v1/journeys/{id}"), HttpStatusCode.Forbidden);
            await Problem.AssertAsync(
                await forwardLeeds.PostAsync(id, "community-treatment-start", new { startedOn = "2026-11-12" }),
                HttpStatusCode.Forbidden);
            await Problem.AssertAsync(
                await forwardLeeds.PostAsync(id, "missed-appointment", new { appointmentOn = "2026-11-12" }),
                HttpStatusCode.Forbidden);
            await Problem.AssertAsync(
                await forwardLeeds.PostAsync(id, "met-at-gate", new { metOn = "2026-11-10" }),
                HttpStatusCode.Forbidden);
        }

        Assert.Equal(before, (await Service.EventCountAsync(declined), await Service.EventCountAsync(redirected)));
        var journey = await As("prison", "LEI").JourneyAsync(declined);
        Assert.Null(journey.CommunityTreatmentStartedOn);
    }

    [Theory]
    [InlineData("appointment", """{"appointmentOn":"0001-01-01"}""", "appointmentOn")]
    [InlineData("missed-appointment", """{"appointmentOn":"1999-12-31"}""", "appointmentOn")]
    [InlineData(
        "release",
        "{\"releasedOn\":\"0001-01-01\",\"releaseType\":\"licence\",\"destinationLocalAuthority\":\"E08000035\","
        + "\"communityProvider\":\"FORWARD-LEEDS\"}",
        "releasedOn")]
    [InlineData("release-schedule", """{"releaseOn":"1900-06-01"}""", "releaseOn")]
    [InlineData(
        "corrections", """{"fact":"custody-treatment-start","correctedOn":"0001-01-01","reason":"typo"}""",
        "correctedOn")]
    public async Task A_business_date_before_2000_is_a_400_naming_the_field(string action, string body, string field)
    {
        var id = await Api.OpenAsync();
        var response = await Api.Client.PostAsync($"/api/v1/journeys/{id}/{action}", Json.Body(body));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Contains("2000-01-01", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Handover_steps_dated_before_the_handover_are_a_409_naming_the_field_and_write_nothing()
    {
        var id = await Api.ReleasedAsync(ReleasedOn); // handed over to FORWARD-LEEDS on the release date
        var before = await Service.EventCountAsync(id);

        await Problem.AssertAsync(
            await Api.PostAsync(id, "handover-acknowledgement", new { acknowledgedOn = "2026-11-09" }),
            HttpStatusCode.Conflict, "acknowledgedOn");
        await Problem.AssertAsync(
            await Api.PostAsync(id, "handover-acknowledgement", new { firstAppointmentOn = "2026-03-01" }),
            HttpStatusCode.Conflict, "firstAppointmentOn");
        await Problem.AssertAsync(
            await Api.PostAsync(id, "handover-decline", new { reason = "no-capacity", declinedOn = "2026-11-01" }),
            HttpStatusCode.Conflict, "declinedOn");
        await Problem.AssertAsync(
            await Api.PostAsync(id, "handover-redirect", new { toProvider = "CGL", redirectedOn = "2026-11-01" }),
            HttpStatusCode.Conflict, "redirectedOn");
        Assert.Equal(before, await Service.EventCountAsync(id));

        await Api.RecordAsync(id, "handover-acknowledgement", new { acknowledgedOn = "2026-11-11" });
        var early = await Api.PostAsync(id, "appointment", new { appointmentOn = "2026-01-05" });
        var problem = await Problem.AssertAsync(early, HttpStatusCode.Conflict, "appointmentOn");
        Assert.Contains(
            "before the handover to FORWARD-LEEDS on 2026-11-10", problem.GetProperty("detail").GetString());
        await Api.RecordAsync(id, "appointment", new { appointmentOn = "2026-11-10" });
    }

    [Theory]
    [InlineData("communityProvider", "FORWARD-LEEDS\n")]
    [InlineData("destinationLocalAuthority", "E08000035\n")]
    [InlineData("communityProvider", "FORWARD-LEEDS\r\n")]
    public async Task A_code_with_a_trailing_newline_is_a_400(string field, string value)
    {
        var id = await Api.OpenAsync();
        var release = JsonSerializer.SerializeToNode(JourneyApi.Release(ReleasedOn))!.AsObject();
        release[field] = value;

        await Problem.AssertAsync(
            await Api.Client.PostAsync($"/api/v1/journeys/{id}/release", Json.Body(release.ToJsonString())),
            HttpStatusCode.BadRequest, field);
        await Problem.AssertAsync(
            await Api.RegisterAsync(JsonSerializer.SerializeToNode(JourneyApi.Registration())!.AsObject().Also(
                r => r["prisonCode"] = "LEI\n")),
            HttpStatusCode.BadRequest, "prisonCode");
    }

    [Fact]
    public async Task No_CSV_cell_starts_with_a_character_a_spreadsheet_reads_as_a_formula()
    {
        foreach (var _ in Enumerable.Range(0, 5))
        {
            var id = await Api.OpenAsync();
            var release = JsonSerializer.SerializeToNode(JourneyApi.Release(new LocalDate(2026, 8, 3)))!.AsObject();
            release["destinationLocalAuthority"] = "-SUM-A1";
            Assert.Equal(HttpStatusCode.OK, (await Api.ReleaseAsync(id, release)).StatusCode);
        }

        await Service.CatchUpAsync();
        var request = new HttpRequestMessage(
            HttpMethod.Get, "/api/v1/continuity?from=2026-08-03&to=2026-08-03&by=localAuthority");
        request.Headers.Add("Accept", "text/csv");
        var csv = await (await Api.Client.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("\n'-SUM-A1,unknown,5,", csv);
        Assert.All(csv.Split('\n').SelectMany(line => line.Split(',')), cell => Assert.False(
            cell.Length > 0 && "=+-@\t\r".Contains(cell[0]), cell));
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+44", "'+44")]
    [InlineData("-2-3", "'-2-3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("=a,\"b\"", "\"'=a,\"\"b\"\"\"")]
    [InlineData("E08000035", "E08000035")]
    [InlineData("2026-Q4", "2026-Q4")]
    public void CSV_text_is_neutralised_and_quoted(string text, string cell) =>
        Assert.Equal(cell, AnalystCsv.Text(text));

    [Fact]
    public void CSV_numbers_are_written_as_numbers() =>
        Assert.Equal(["5", "0.5", "", "true"], new object?[] { 5, 0.5, null, true }.Select(AnalystCsv.Cell));

    [Theory]
    [InlineData("/api/v1/continuity?from=2026-01-01&to=9999-12-31", "to")]
    [InlineData("/api/v1/continuity?from=2026-01-01&to=9999-12-31&by=month", "to")]
    [InlineData("/api/v1/retention?from=2026-01-01&to=2026-12-31&asOf=-0001-01-01", "asOf")]
    [InlineData("/api/v1/retention?from=2026-01-01&to=2026-12-31&asOf=1999-12-31", "asOf")]
    [InlineData("/api/v1/continuity/time-to-pickup?from=0001-01-01&to=9998-12-31&by=month", "from")]
    [InlineData("/api/v1/continuity/time-to-pickup?from=2010-01-01&to=2020-01-01&by=month", "to")]
    [InlineData("/api/v1/continuity?from=2026-01-01&to=2031-11-24", "to")]
    public async Task Analyst_queries_are_bounded_with_a_400_that_says_so(string url, string field)
    {
        var problem = await Problem.AssertAsync(await Api.Client.GetAsync(url), HttpStatusCode.BadRequest, field);
        Assert.DoesNotContain("   at ", problem.ToString());
    }

    [Fact]
    public async Task Ten_years_of_months_is_the_largest_answer()
    {
        var table = await Api.GetJsonAsync("/api/v1/continuity/time-to-pickup?from=2016-11-24&to=2026-11-23&by=month");
        Assert.Equal(121, table.GetProperty("groups").GetArrayLength());
    }

    [Fact]
    public async Task One_correlation_id_is_in_the_event_the_problem_the_response_header_and_the_history()
    {
        var id = await Api.ReleasedAsync(ReleasedOn);
        var accepted = await Api.PostAsync(id, "community-treatment-start", new { startedOn = "2026-11-12" });
        var refused = await Api.PostAsync(id, "community-treatment-start", new { startedOn = "2026-11-13" });

        var acceptedId = accepted.Headers.GetValues("X-Correlation-Id").Single();
        Assert.Equal(acceptedId, (await Api.JourneyAsync(id)).History[^1].CorrelationId);
        Assert.Matches("^[0-9a-f]{32}$", acceptedId); // the W3C trace id

        var problem = await Problem.AssertAsync(refused, HttpStatusCode.Conflict, "startedOn");
        var refusedId = refused.Headers.GetValues("X-Correlation-Id").Single();
        Assert.Equal(refusedId, problem.GetProperty("correlationId").GetString());
        Assert.Equal(refusedId, problem.GetProperty("traceId").GetString());
        Assert.NotEqual(acceptedId, refusedId);
    }

    [Fact]
    public async Task A_callers_correlation_id_is_kept_in_problems_too()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/continuity?from=2026-13-01&to=2026-12-01");
        request.Headers.Add("X-Correlation-Id", "analyst-desk-17");
        var response = await Api.Client.SendAsync(request);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "from");
        Assert.Equal("analyst-desk-17", problem.GetProperty("correlationId").GetString());
        Assert.Equal("analyst-desk-17", response.Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task A_token_without_an_organisation_is_refused_whatever_its_role()
    {
        var id = await Api.ReleasedAsync(ReleasedOn);
        var before = await Service.EventCountAsync(id);
        var operatorWithoutOrganisation = Service.ClientAs(ServiceFactory.Token(["operator"], []));

        var response = await operatorWithoutOrganisation.PostAsync(
            $"/api/v1/journeys/{id}/erasure", Json.Body(new { requestRef = "DPO-1", verifiedOn = "2026-11-20" }));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("organisation", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await Service.EventCountAsync(id));
        await Problem.AssertAsync(
            await Service.ClientAs(ServiceFactory.Token(["analyst"], [])).GetAsync(
                "/api/v1/continuity?from=2026-11-01&to=2026-11-30"),
            HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_token_without_a_user_is_refused_so_no_two_callers_share_an_identity()
    {
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var settings = ServiceFactory.Access;
        var token = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = settings.DevelopmentIssuer,
            Audience = settings.Audience,
            Claims = new Dictionary<string, object> { ["role"] = "analyst", ["org"] = "OHID" },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                ContinuityOfCare.Access.DevelopmentTokens.Key(settings),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });

        var problem = await Problem.AssertAsync(
            await Service.ClientAs(token).GetAsync("/api/v1/continuity?from=2026-11-01&to=2026-11-30"),
            HttpStatusCode.Forbidden);
        Assert.Contains("'sub' claim", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Liveness_and_readiness_answer_without_a_token_and_readiness_reports_the_projection_lag()
    {
        var anonymous = Service.ClientAs(null);
        var live = await anonymous.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ok", (await live.ReadJsonAsync()).GetProperty("status").GetString());

        await Api.ReleasedAsync(ReleasedOn);
        await Service.CatchUpAsync();
        var ready = await (await anonymous.GetAsync("/health/ready")).ReadJsonAsync();

        Assert.Equal("ok", ready.GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        var projections = ready.GetProperty("checks").GetProperty("projections").GetProperty("data");
        Assert.Equal(0, projections.GetProperty("lag").GetInt64());
        Assert.True(projections.GetProperty("highWaterMark").GetInt64() >= 2);
    }
}

internal static class JsonNodeExtensions
{
    public static System.Text.Json.Nodes.JsonObject Also(
        this System.Text.Json.Nodes.JsonObject node, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        change(node);
        return node;
    }
}
