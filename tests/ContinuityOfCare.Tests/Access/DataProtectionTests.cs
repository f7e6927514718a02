using ContinuityOfCare.Access;
using System.Net;
using ContinuityOfCare.Tests.Support;
using Npgsql;
using NodaTime;

namespace ContinuityOfCare.Tests.Access;

/// <summary>
/// Who recorded what, and erasure that leaves no identifying value behind while the counts stay right.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DataProtectionTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    [Fact]
    public async Task Every_event_carries_who_posted_it_their_organisation_a_correlation_id_and_when_it_was_recorded()
    {
        var prison = Service.ClientAs(ServiceFactory.Token([ "prison" ], [ "LEI" ], user: "nurse.okafor"));
        var provider = Service.ClientAs(
            ServiceFactory.Token([ "provider" ], [ "FORWARD-LEEDS" ], user: "keyworker.shah"));
        var opened = await prison.PostAsync("/api/v1/journeys", Json.Body(JourneyApi.Registration()));
        var id = (await opened.ReadJsonAsync()).GetProperty("journeyId").GetGuid();
        await prison.PostAsync(
            $"/api/v1/journeys/{id}/release", Json.Body(JourneyApi.Release(new LocalDate(2026, 11, 10))));
        var pickup = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/journeys/{id}/community-treatment-start")
        {
            Content = Json.Body(new { startedOn = "2026-11-12" }),
        };
        pickup.Headers.Add("X-Correlation-Id", "case-system-7781");
        Assert.Equal(HttpStatusCode.OK, (await provider.SendAsync(pickup)).StatusCode);

        var history = (await new JourneyApi(provider).JourneyAsync(id)).History;

        var nurse = new RecordedBy("nurse.okafor", "prison", "LEI");
        var keyworker = new RecordedBy("keyworker.shah", "provider", "FORWARD-LEEDS");
        Assert.Equal([nurse, nurse, keyworker], history.Select(e => e.RecordedBy));
        Assert.Equal("case-system-7781", history[2].CorrelationId);
        Assert.All(history, e => Assert.Equal(ServiceFactory.Start, e.RecordedAt));
    }

    [Fact]
    public async Task The_window_close_check_is_recorded_by_the_service_itself()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 10, 1));

        // The window closed on 2026-10-22: the check ran before the release request returned.
        var lapsed = (await Api.JourneyAsync(id)).History[^1];

        Assert.Equal(("continuity_window_lapsed", 3L), (lapsed.Type, lapsed.Version));
        Assert.Equal("system", lapsed.RecordedBy!.Role);
    }

    [Fact]
    public async Task An_erased_journey_keeps_no_identifying_value_anywhere_in_the_database_and_no_count_changes()
    {
        const string personRef = "P-ERASE-ME-4417";
        const string journeyRef = "LEI-ERASE-ME-0091";
        var id = await Api.OpenAsync(JourneyApi.Registration(journeyRef, personRef: personRef));
        await Api.RecordAsync(id, "release", JourneyApi.Release(new LocalDate(2026, 10, 1)));
        // Free text despite the guidance: a lapse reason naming the person, before a backdated pickup arrives.
        await Api.RecordAsync(id, "lapse-reason", new { reason = "other", text = $"told by {personRef}'s family" });
        await Api.PostAsync(
            id, "community-treatment-start", new { startedOn = "2026-10-02" }, idempotencyKey: $"{journeyRef}/pickup");
        await Api.RecordAsync(
            id, "corrections",
            new { fact = "release", correctedOn = "2026-09-30", reason = $"keyed against {personRef} in error" });
        for (var i = 0; i < 5; i++)
        {
            await Api.ReleasedAsync(new LocalDate(2026, 10, 1));
        }

        await Service.CatchUpAsync();
        var before = await Api.GetJsonAsync("/api/v1/continuity?from=2026-09-01&to=2026-10-31");
        Assert.True(
            await OccurrencesAsync(personRef) > 0 && await OccurrencesAsync(journeyRef) > 0,
            "the test should find the values before erasure");

        var operatorClient = Service.ClientAs(ServiceFactory.Token("operator", "DPO"));
        var erasure = await operatorClient.PostAsync(
            $"/api/v1/journeys/{id}/erasure",
            Json.Body(new { requestRef = "DPO-2026-17", verifiedOn = "2026-11-20" }));
        Assert.Equal(HttpStatusCode.OK, erasure.StatusCode);
        await Service.CatchUpAsync();

        Assert.Equal(0, await OccurrencesAsync(personRef));
        Assert.Equal(0, await OccurrencesAsync(journeyRef));
        var journey = await Api.JourneyAsync(id);
        Assert.Equal("erased", journey.PersonRef);
        Assert.Equal("erased", journey.JourneyRef);
        Assert.Equal(ContinuityOfCare.Continuity.ReleaseOutcome.Engaged, journey.Continuity!.Outcome);
        Assert.Equal("identifying_data_erased", journey.History[^1].Type);
        Assert.Equal(
            before.GetProperty("total").ToString(),
            (await Api.GetJsonAsync("/api/v1/continuity?from=2026-09-01&to=2026-10-31"))
                .GetProperty("total").ToString());
        Assert.Equal(
            before.GetProperty("total").ToString(),
            (await Api.GetJsonAsync("/api/v1/continuity?from=2026-09-01&to=2026-10-31&asOf=2026-11-23"))
                .GetProperty("total").ToString());

        // Asking again is harmless, and the erased reference can no longer find the journey.
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/v1/journeys/{id}/erasure", Json.Body(
            new { requestRef = "DPO-2026-17", verifiedOn = "2026-11-20" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Api.RegisterAsync(
            JourneyApi.Registration(journeyRef, personRef: "P-NEW"))).StatusCode);
    }

    /// <summary>Rows in any table of the service's database whose text holds <paramref name="value"/>.</summary>
    private async Task<long> OccurrencesAsync(string value)
    {
        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select format('%I.%I', table_schema, table_name) from information_schema.tables " +
            "where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        long found = 0;
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand(
                $"select count(*) from {table} t where t::text like '%' || @value || '%'", connection);
            count.Parameters.AddWithValue("value", value);
            found += (long)(await count.ExecuteScalarAsync())!;
        }

        return found;
    }
}
