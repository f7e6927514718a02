using System.Net;
using System.Text.Json;
using ContinuityOfCare.Tests.Support;
using Snapshooter.Xunit;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// The OpenAPI document is the contract: any change to it is a visible diff of the committed snapshot.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ApiDescriptionTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    [Fact]
    public async Task The_OpenAPI_document_matches_its_committed_snapshot()
    {
        var response = await Service.ClientAs(null).GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Snapshot.Match(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }

    [Fact]
    public async Task Every_API_endpoint_is_described_with_its_body_errors_and_the_bearer_scheme()
    {
        var document = JsonDocument.Parse(await Service.ClientAs(null).GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");

        Assert.Equal(37, paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).Count());
        foreach (var health in new[] { "/health", "/health/ready", "/health/live" })
        {
            var check = paths.GetProperty(health).GetProperty("get");
            Assert.Empty(check.GetProperty("security").EnumerateArray()); // no token
            Assert.True(check.GetProperty("responses").TryGetProperty("200", out _), health);
        }

        // Every operation says what it does in words, not only its method and route.
        Assert.All(
            paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()),
            o => Assert.DoesNotMatch("^(GET|POST|PUT) /", o.Value.GetProperty("summary").GetString()!));
        var release = paths.GetProperty("/api/v1/journeys/{journeyId}/release").GetProperty("post");
        var body = release.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema");
        Assert.Equal(
            "date", body.GetProperty("properties").GetProperty("releasedOn").GetProperty("format").GetString());
        Assert.Contains(
            "home-detention-curfew",
            body.GetProperty("properties").GetProperty("releaseType").GetProperty("enum")
                .EnumerateArray().Select(v => v.GetString()));
        Assert.DoesNotContain("metAtGate", body.GetProperty("required").EnumerateArray().Select(v => v.GetString()));
        foreach (var status in new[] { "200", "400", "401", "403", "404", "409", "429", "503" })
        {
            Assert.True(release.GetProperty("responses").TryGetProperty(status, out _), status);
        }

        var continuity = paths.GetProperty("/api/v1/continuity").GetProperty("get");
        Assert.Equal(
            ["from", "to", "period", "by", "asOf", "unsuppressed"],
            continuity.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var import = paths.GetProperty("/api/v1/providers/{provider}/treatment-starts/import").GetProperty("post");
        Assert.True(import.GetProperty("requestBody").GetProperty("content").TryGetProperty("text/csv", out _));
        Assert.Equal("Journeys", import.GetProperty("tags")[0].GetString());
        Assert.Equal(["provider", "dryRun"], import.GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()));
        foreach (var status in new[] { "200", "400", "401", "403", "413", "415" })
        {
            Assert.True(import.GetProperty("responses").TryGetProperty(status, out _), status);
        }

        Assert.False(import.GetProperty("responses").TryGetProperty("404", out _));
        Assert.Equal("http", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer")
            .GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_reference_page_is_served_without_a_token_and_an_unknown_path_is_404()
    {
        var anonymous = Service.ClientAs(null);
        var page = await anonymous.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType);

        await Problem.AssertAsync(await anonymous.GetAsync("/swagger"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(
            await Api.Client.PostAsync("/api/v1/nothing", Json.Body("{}")), HttpStatusCode.NotFound);
    }
}
