using System.Net;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Access;

/// <summary>Operators' maintenance: rebuilding the analysts' projection from the event store.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OperationsTests(PostgresCluster postgres)
    : ServiceTests(postgres, new Dictionary<string, string> { ["Continuity:SuppressionThreshold"] = "1" })
{
    [Fact]
    public async Task A_rebuilt_cohort_projection_gives_the_same_figures()
    {
        await Api.ReleasedAsync(new LocalDate(2026, 10, 1), pickedUpOn: new LocalDate(2026, 10, 3));
        var corrected = await Api.ReleasedAsync(new LocalDate(2026, 10, 5));
        await Api.RecordAsync(
            corrected, "corrections", new { fact = "release", correctedOn = "2026-09-28", reason = "typo" });
        await Api.ReleasedAsync(new LocalDate(2026, 11, 20));
        await Service.CatchUpAsync();
        const string url = "/api/v1/continuity?from=2026-09-01&to=2026-11-30&by=month";
        var before = await Api.GetJsonAsync(url);

        var operatorClient = Service.ClientAs(ServiceFactory.Token("operator", "PLATFORM"));
        var rebuilt = await operatorClient.PostAsync("/api/v1/operations/projections/release-cohort/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.Equal("release-cohort", (await rebuilt.ReadJsonAsync()).GetProperty("projection").GetString());
        await Service.CatchUpAsync();

        Assert.Equal(before.ToString(), (await Api.GetJsonAsync(url)).ToString());
        await Problem.AssertAsync(
            await operatorClient.PostAsync("/api/v1/operations/projections/journeys/rebuild", null),
            HttpStatusCode.BadRequest, "projection");
    }
}
