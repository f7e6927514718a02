using System.Net;
using System.Text.Json;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Hosting;
using ContinuityOfCare.Http;
using ContinuityOfCare.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// The cohort cells are counted with the window, retention and exclusions in use. When the service starts with
/// others, readiness says a rebuild is needed, the tables stay exact (computed journey by journey), and a rebuild
/// brings the cells back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CohortCellRulesTests(PostgresCluster postgres)
{
    private const string Table = "/api/v1/continuity?from=2026-09-01&to=2026-11-30&by=month";

    [Fact]
    public async Task A_changed_window_says_a_rebuild_is_needed_keeps_figures_exact_and_a_rebuild_restores_the_cells()
    {
        var threshold = new Dictionary<string, string> { ["Continuity:SuppressionThreshold"] = "1" };
        string connectionString;
        await using (var first = await ServiceFactory.StartAsync(postgres, "cells_rules", threshold))
        {
            var api = new JourneyApi(first.CreateClient());
            // Picked up on day 25: late with a 21-day window, engaged with a 28-day one.
            await api.ReleasedAsync(new LocalDate(2026, 10, 1), pickedUpOn: new LocalDate(2026, 10, 26));
            await api.ReleasedAsync(new LocalDate(2026, 10, 2), pickedUpOn: new LocalDate(2026, 10, 3));
            await api.ReleasedAsync(new LocalDate(2026, 11, 20));
            await first.CatchUpAsync();
            Assert.Equal("current", await CellsAsync(first));
            var total = (await api.GetJsonAsync(Table)).GetProperty("total");
            Assert.Equal(1, total.GetProperty("engagedLate").GetInt32());
            connectionString = first.ConnectionString;
        }

        var wider = new Dictionary<string, string>(threshold) { ["Continuity:WindowDays"] = "28" };
        await using var second = new ServiceFactory(connectionString, wider);
        var analyst = new JourneyApi(second.CreateClient());
        Assert.Equal(ProjectionLagCheck.CellsNeedRebuild, await CellsAsync(second));
        var exact = await analyst.GetJsonAsync(Table);
        Assert.Equal(2, exact.GetProperty("total").GetProperty("engaged").GetInt32());
        Assert.Equal(0, exact.GetProperty("total").GetProperty("engagedLate").GetInt32());
        Assert.Equal(
            JsonSerializer.Serialize(await PerJourneyAsync(second), ApiJson.Options),
            exact.GetProperty("total").ToString());

        var operatorClient = second.ClientAs(ServiceFactory.Token("operator", "PLATFORM"));
        var rebuilt = await operatorClient.PostAsync("/api/v1/operations/projections/release-cohort/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        await second.CatchUpAsync();

        Assert.Equal("current", await CellsAsync(second));
        Assert.Equal(exact.ToString(), (await analyst.GetJsonAsync(Table)).ToString());

        // The projection runs on after the rebuild: a new release reaches the cells without a restart.
        await analyst.ReleasedAsync(new LocalDate(2026, 11, 21));
        await second.CatchUpAsync();
        var after = (await analyst.GetJsonAsync(Table)).GetProperty("total");
        Assert.Equal(4, after.GetProperty("released").GetInt32());
    }

    private static async Task<string?> CellsAsync(ServiceFactory service) =>
        (await (await service.CreateClient().GetAsync("/health/ready")).ReadJsonAsync())
        .GetProperty("checks").GetProperty("projections").GetProperty("data").GetProperty("cohortCells").GetString();

    /// <summary>The total computed journey by journey from the cohort rows, with the service's rules.</summary>
    private static async Task<ContinuityGroup> PerJourneyAsync(ServiceFactory service)
    {
        var rules = service.Services.GetRequiredService<ContinuityRules>();
        await using var session = service.Store.QuerySession();
        var (from, to) = (new LocalDate(2026, 9, 1), new LocalDate(2026, 11, 30));
        var query = new AnalystQuery(from, to, null, new LocalDate(2026, 11, 23), IsToday: true)
        {
            SuppressionThreshold = 1,
        };
        return ContinuityRateEndpoint.Report(
            query, await CohortReader.CurrentAsync(session, from, to, CancellationToken.None), rules).Total;
    }
}
