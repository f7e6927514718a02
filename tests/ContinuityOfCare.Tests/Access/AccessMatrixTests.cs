using System.Net;
using ContinuityOfCare.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace ContinuityOfCare.Tests.Access;

/// <summary>Every endpoint against every kind of caller: 401 without valid credentials, 403 when not theirs.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AccessMatrixTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    // The journey each row runs on is opened at LEI and released to FORWARD-LEEDS.
    private static readonly Dictionary<string, string?> Callers = new()
    {
        ["no token"] = null,
        ["bad token"] = "not.a.token",
        ["prison LEI"] = ServiceFactory.Token("prison", "LEI"),
        ["prison WYI"] = ServiceFactory.Token("prison", "WYI"),
        ["provider FORWARD-LEEDS"] = ServiceFactory.Token("provider", "FORWARD-LEEDS"),
        ["provider CGL"] = ServiceFactory.Token("provider", "CGL"),
        ["analyst"] = ServiceFactory.Token("analyst", "LEEDS-PUBLIC-HEALTH"),
        ["analyst with unsuppressed figures"] = ServiceFactory.Token("analyst", "OHID", "figures:unsuppressed"),
        ["operator"] = ServiceFactory.Token("operator", "DPO"),
    };

    private const string Prison = "prison LEI";
    private const string Provider = "provider FORWARD-LEEDS";
    private const string Analyst = "analyst";
    private const string Unsuppressed = "analyst with unsuppressed figures";
    private const string Operator = "operator";

    private sealed record Row(
        string Method, string Route, Func<Guid, string> Url, object? Body, params string[] Allowed)
    {
        /// <summary>The method the row's request uses: pages answer any method, and are asked with GET.</summary>
        public string Send { get; init; } = Method;
    }

    private static readonly Row[] Rows =
    [
        new("GET", "/health", _ => "/health", null, [.. Callers.Keys]),
        new("GET", "/health/live", _ => "/health/live", null, [.. Callers.Keys]),
        new("GET", "/health/ready", _ => "/health/ready", null, [.. Callers.Keys]),
        new("GET", "/openapi/{documentName}.json", _ => "/openapi/v1.json", null, [.. Callers.Keys]),
        new("GET", "/docs/{documentName?}", _ => "/docs/", null, [.. Callers.Keys]),
        new("GET", "/docs/favicon.svg", _ => "/docs/favicon.svg", null, [.. Callers.Keys]),
        new("GET", "/docs/scalar.aspnetcore.js", _ => "/docs/scalar.aspnetcore.js", null, [.. Callers.Keys]),
        new("GET", "/docs/scalar.js", _ => "/docs/scalar.js", null, [.. Callers.Keys]),
        new("*", "{*path:nonfile}", _ => "/nothing/here", null, [.. Callers.Keys]),
        new("*", "/api/{**path}", _ => "/api/v1/nothing/here", null, [.. Callers.Keys]),
        new("POST", "/api/v1/journeys", _ => "/api/v1/journeys", JourneyApi.Registration(), Prison),
        new("GET", "/api/v1/journeys/{journeyId}", id => $"/api/v1/journeys/{id}", null, Prison, Provider),
        Post("release-schedule", new { releaseOn = "2026-12-01" }, Prison),
        Post("transfer", new { transferredOn = "2026-11-01", toPrisonCode = "WYI" }, Prison),
        Post("referral", new { referredOn = "2026-11-01", provider = "CGL" }, Prison),
        Post("release", JourneyApi.Release(new LocalDate(2026, 11, 10)), Prison),
        Post("handover-acknowledgement", new { }, Provider),
        Post("handover-decline", new { reason = "wrong-area" }, Provider),
        Post("handover-redirect", new { toProvider = "CGL" }, Prison, Provider),
        Post("appointment", new { appointmentOn = "2026-11-30" }, Provider),
        Post("missed-appointment", new { appointmentOn = "2026-11-12" }, Provider),
        Post("met-at-gate", new { metOn = "2026-11-10" }, Prison, Provider),
        Post("community-treatment-start", new { startedOn = "2026-11-12" }, Provider),
        Post("treatment-end", new { endedOn = "2026-11-20", reason = "completed" }, Provider),
        Post("death", new { diedOn = "2026-11-20" }, Prison, Provider),
        Post("deportation", new { deportedOn = "2026-11-20" }, Prison, Provider),
        Post("return-to-custody", new { returnedOn = "2026-11-20", reason = "recall" }, Prison, Provider),
        Post("corrections", new { fact = "release", correctedOn = "2026-11-09", reason = "typo" }, Prison),
        Post("erasure", new { requestRef = "DPO-2026-17", verifiedOn = "2026-11-22" }, Operator),
        Post("lapse-reason", new { reason = "moved-area" }, Prison, Provider),
        new(
            "GET",
            "/api/v1/continuity",
            _ => "/api/v1/continuity?from=2026-11-01&to=2026-11-30",
            null,
            Analyst,
            Unsuppressed),
        new(
            "GET",
            "/api/v1/continuity/time-to-pickup",
            _ => "/api/v1/continuity/time-to-pickup?from=2026-11-01&to=2026-11-30",
            null,
            Analyst,
            Unsuppressed),
        new(
            "GET",
            "/api/v1/retention",
            _ => "/api/v1/retention?from=2026-11-01&to=2026-11-30",
            null,
            Analyst,
            Unsuppressed),
        new(
            "GET",
            "/api/v1/continuity/lapse-reasons",
            _ => "/api/v1/continuity/lapse-reasons?from=2026-11-01&to=2026-11-30",
            null,
            Analyst,
            Unsuppressed),
        // Record-level, so only with the permission for unsuppressed figures: a plain analyst is refused (403).
        new(
            "GET",
            "/api/v1/continuity/audit-export",
            _ => "/api/v1/continuity/audit-export?period=2026-11",
            null,
            Unsuppressed),
        new(
            "POST",
            "/api/v1/continuity/reconciliation",
            _ => "/api/v1/continuity/reconciliation",
            new { period = "2026-11", prison = "LEI", published = new { releases = 10, pickups = 5 } },
            Analyst,
            Unsuppressed),
        new(
            "GET",
            "/api/v1/providers/{provider}/lapsed-reason-needed",
            _ => "/api/v1/providers/FORWARD-LEEDS/lapsed-reason-needed",
            null,
            Provider),
        new(
            "GET",
            "/api/v1/prisons/{prisonCode}/lapsed-reason-needed",
            _ => "/api/v1/prisons/LEI/lapsed-reason-needed",
            null,
            Prison),
        // Without a CSV body the provider's answer is a 415: past the role and organisation checks.
        new(
            "POST",
            "/api/v1/providers/{provider}/treatment-starts/import",
            _ => "/api/v1/providers/FORWARD-LEEDS/treatment-starts/import",
            null,
            Provider),
        new(
            "GET",
            "/api/v1/providers/{provider}/handovers",
            _ => "/api/v1/providers/FORWARD-LEEDS/handovers",
            null,
            Provider),
        new("GET", "/api/v1/prisons/{prisonCode}/releases-due", _ => "/api/v1/prisons/LEI/releases-due", null, Prison),
        new(
            "POST",
            "/api/v1/operations/projections/{projection}/rebuild",
            _ => "/api/v1/operations/projections/release-cohort/rebuild",
            null,
            Operator),
        new(
            "GET",
            "/api/v1/organisations",
            _ => "/api/v1/organisations",
            null,
            [.. Callers.Keys.Where(c => c is not ("no token" or "bad token"))]),
        // Without a CSV body the operator's answer is a 415: past the role check, which is what this matrix is about.
        new("PUT", "/api/v1/organisations", _ => "/api/v1/organisations", null, Operator),
        // Screens: a bearer token works there too (401/403 problems); without one, a redirect to sign in (the "401").
        Page("", [.. Callers.Keys.Where(c => c is not ("no token" or "bad token"))]),
        Page("analyst", Analyst, Unsuppressed),
        Page("continuity/reconciliation", Analyst, Unsuppressed),
        Page("sign-in", [.. Callers.Keys]),
        Page("sign-out", [.. Callers.Keys]),
        Page("access-denied", [.. Callers.Keys]),
        Page("handovers/{provider?}", Provider) with { Url = _ => "/handovers/FORWARD-LEEDS" },
        Page("handovers/{provider}/import", Provider) with { Url = _ => "/handovers/FORWARD-LEEDS/import" },
        Page("releases-due/{prisonCode?}", Prison) with { Url = _ => "/releases-due/LEI" },
        Page("journeys/{journeyId:guid}", Prison, Provider) with { Url = id => $"/journeys/{id}" },
        Page("journeys/new", Prison, "prison WYI"),
        Page("journeys/{journeyId:guid}/release", Prison) with { Url = id => $"/journeys/{id}/release" },
        Page("journeys/{journeyId:guid}/handover", Provider) with { Url = id => $"/journeys/{id}/handover" },
        Page(
            "journeys/{journeyId:guid}/treatment-start",
            Provider) with { Url = id => $"/journeys/{id}/treatment-start" },
        Page(
            "journeys/{journeyId:guid}/release-schedule",
            Prison) with { Url = id => $"/journeys/{id}/release-schedule" },
        Page("journeys/{journeyId:guid}/referral", Prison) with { Url = id => $"/journeys/{id}/referral" },
        Page(
            "journeys/{journeyId:guid}/handover-redirect",
            Prison,
            Provider) with { Url = id => $"/journeys/{id}/handover-redirect" },
        Page(
            "journeys/{journeyId:guid}/missed-appointment",
            Provider) with { Url = id => $"/journeys/{id}/missed-appointment" },
        Page("journeys/{journeyId:guid}/treatment-end", Provider) with { Url = id => $"/journeys/{id}/treatment-end" },
        // The screens' fallback (also reachable by its own path): a 404 for anyone, a page or a problem.
        Page("Web/PageNotFound", [.. Callers.Keys]),
        Page(
            "journeys/{journeyId:guid}/lapse-reason",
            Prison,
            Provider) with { Url = id => $"/journeys/{id}/lapse-reason" },
        // Each caller's first organisation; one named that is not theirs is refused (WorklistTests).
        Page("lapsed/{organisation?}", Prison, Provider, "prison WYI", "provider CGL") with { Url = _ => "/lapsed" },
        Page("organisations", [.. Callers.Keys.Where(c => c is not ("no token" or "bad token"))]),
    ];

    private static Row Page(string route, params string[] allowed) => new(
        "*", route, _ => "/" + route, null, allowed) { Send = "GET" };

    private static Row Post(string action, object body, params string[] allowed) =>
        new(
            "POST",
            $"/api/v1/journeys/{{journeyId}}/{action}",
            id => $"/api/v1/journeys/{id}/{action}",
            body,
            allowed);

    [Fact]
    public void The_matrix_covers_every_endpoint_the_service_maps()
    {
        var mapped = Service.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(
                e => (
                    e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [
                        "*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();

        Assert.Equal(mapped.Order(), Rows.Select(r => $"{r.Method} {r.Route}").Order());
    }

    [Fact]
    public async Task Each_endpoint_answers_each_caller_as_their_role_and_organisation_allow()
    {
        var failures = new List<string>();
        foreach (var row in Rows)
        {
            // Denied callers first, on one journey, since they change nothing; then each allowed caller on a journey
            // no
            // allowed caller has used, since it may change it (a transfer, an erasure) for those after it.
            var journeyId = await ReleasedIfUsedAsync(row);
            var untouched = true;
            foreach (var (name, token) in Callers.OrderBy(c => row.Allowed.Contains(c.Key)))
            {
                if (row.Allowed.Contains(name))
                {
                    journeyId = untouched ? journeyId : await ReleasedIfUsedAsync(row);
                    untouched = false;
                }

                var request = new HttpRequestMessage(new HttpMethod(row.Send), row.Url(journeyId));
                if (row.Body is not null)
                {
                    request.Content = Json.Body(row.Body);
                }

                var response = await Service.ClientAs(token).SendAsync(request);
                var status = response.StatusCode;
                var expected = row.Allowed.Contains(
                    name) ? "allowed" : token is null || token == "not.a.token" ? "401" : "403";
                var actual = status switch
                {
                    HttpStatusCode.Unauthorized => "401",
                    HttpStatusCode.Redirect when response.Headers.Location?.AbsolutePath == "/sign-in" => "401",
                    HttpStatusCode.Forbidden => "403",
                    >= HttpStatusCode.InternalServerError => $"{(int)status}",
                    _ => "allowed",
                };
                if (actual != expected)
                {
                    failures.Add($"{row.Method} {row.Route} as {name}: expected {expected}, got {(int)status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>A journey opened at LEI and released to FORWARD-LEEDS, for rows whose path names one.</summary>
    private async Task<Guid> ReleasedIfUsedAsync(Row row) =>
        row.Route.Contains("{journeyId") ? await Api.ReleasedAsync(new LocalDate(2026, 11, 10)) : Guid.Empty;

    [Fact]
    public async Task Unsuppressed_figures_need_their_own_permission()
    {
        const string url = "/api/v1/continuity?from=2026-11-01&to=2026-11-30&unsuppressed=true";
        await Api.ReleasedAsync(new LocalDate(2026, 11, 10));
        await Service.CatchUpAsync();

        await Problem.AssertAsync(await Service.ClientAs(Callers[Analyst]).GetAsync(url), HttpStatusCode.Forbidden);
        var report = await (await Service.ClientAs(Callers[Unsuppressed]).GetAsync(url)).ReadJsonAsync();
        Assert.Equal(1, report.GetProperty("suppressionThreshold").GetInt32());
        Assert.Equal(1, report.GetProperty("total").GetProperty("released").GetInt32());
        var suppressed = await (
            await Service.ClientAs(Callers[Unsuppressed]).GetAsync(
                url.Replace("&unsuppressed=true", ""))).ReadJsonAsync();
        Assert.True(suppressed.GetProperty("total").GetProperty("suppressed").GetBoolean());
    }

    [Fact]
    public async Task Tokens_that_are_expired_for_another_audience_or_signed_with_another_key_are_401()
    {
        var settings = ServiceFactory.Access;
        var tokens = new[]
        {
            ContinuityOfCare.Access.DevelopmentTokens.Mint(
                settings, "u", ["analyst"], [], lifetime: TimeSpan.FromMinutes(-5)),
            ContinuityOfCare.Access.DevelopmentTokens.Mint(
                new() { DevelopmentSigningKey = settings.DevelopmentSigningKey, Audience = "another-service" },
                "u",
                ["analyst"],
                []),
            ContinuityOfCare.Access.DevelopmentTokens.Mint(
                new() { DevelopmentSigningKey = "a-different-key-of-at-least-32-characters" }, "u", ["analyst"], []),
        };

        foreach (var token in tokens)
        {
            await Problem.AssertAsync(
                await Service.ClientAs(token).GetAsync("/api/v1/continuity?from=2026-11-01&to=2026-11-30"),
                HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_transferred_journey_belongs_to_its_new_prison_and_a_redirected_one_to_its_new_provider()
    {
        var transferred = await Api.OpenAsync();
        await Api.RecordAsync(transferred, "transfer", new { transferredOn = "2026-11-01", toPrisonCode = "WYI" });
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await Service.ClientAs(Callers["prison LEI"]).GetAsync($"/api/v1/journeys/{transferred}")).StatusCode);
        Assert.Equal(
            HttpStatusCode.OK,
            (await Service.ClientAs(Callers["prison WYI"]).GetAsync($"/api/v1/journeys/{transferred}")).StatusCode);

        var redirected = await Api.ReleasedAsync(new LocalDate(2026, 11, 10));
        await Api.RecordAsync(redirected, "handover-redirect", new { toProvider = "CGL" });
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await Service.ClientAs(Callers[Provider]).GetAsync($"/api/v1/journeys/{redirected}")).StatusCode);
        Assert.Equal(
            HttpStatusCode.OK,
            (await Service.ClientAs(Callers["provider CGL"]).GetAsync($"/api/v1/journeys/{redirected}")).StatusCode);
    }

    [Fact]
    public async Task Another_prison_using_the_same_journey_reference_opens_its_own_journey()
    {
        var leeds = await (
            await Service.ClientAs(Callers[Prison]).PostAsync(
                "/api/v1/journeys", Json.Body(JourneyApi.Registration("SHARED-REF-1")))).ReadJsonAsync();
        var wakefield = await Service.ClientAs(Callers["prison WYI"]).PostAsync(
            "/api/v1/journeys", Json.Body(JourneyApi.Registration("SHARED-REF-1", prisonCode: "WYI")));

        Assert.Equal(HttpStatusCode.Created, wakefield.StatusCode);
        Assert.NotEqual(
            leeds.GetProperty("journeyId").GetGuid(),
            (await wakefield.ReadJsonAsync()).GetProperty("journeyId").GetGuid());
    }
}
