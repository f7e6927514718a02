using System.Net;
using System.Text.Json;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.History;
using ContinuityOfCare.Journeys.Registration;
using NodaTime;

namespace ContinuityOfCare.Tests.Support;

/// <summary>Posts realistic requests the way a prison or provider system would.</summary>
public sealed class JourneyApi(HttpClient client)
{
    private static int _refs;

    public HttpClient Client => client;

    public static object Registration(
        string? journeyRef = null, string substanceGroup = "opiate", string sex = "male", string prisonCode = "LEI",
        string? entryPoint = null, string? personRef = null) => new
    {
        journeyRef = journeyRef ?? $"{prisonCode}-{Interlocked.Increment(ref _refs):D6}",
        personRef = personRef ?? $"P-{Guid.NewGuid():N}"[..10],
        prisonCode,
        sex,
        birthYear = 1986,
        substanceGroup,
        custodyTreatmentStartedOn = "2025-01-06",
        entryPoint,
    };

    public static object Release(LocalDate releasedOn) => new
    {
        releasedOn = releasedOn.ToString("uuuu-MM-dd", null),
        releaseType = "licence",
        destinationLocalAuthority = "E08000035",
        communityProvider = "FORWARD-LEEDS",
        noFixedAbode = false,
        naloxoneSupplied = true,
        metAtGate = true,
    };

    public static object TreatmentStart(LocalDate startedOn) =>
        new { startedOn = startedOn.ToString("uuuu-MM-dd", null) };

    public Task<HttpResponseMessage> RegisterAsync(object body) =>
        client.PostAsync("/api/v1/journeys", Json.Body(body));

    public async Task<Guid> OpenAsync(object? registration = null)
    {
        var response = await RegisterAsync(registration ?? Registration());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync<JourneyRegistered>()).JourneyId;
    }

    public Task<HttpResponseMessage> ReleaseAsync(Guid journeyId, object body) =>
        client.PostAsync($"/api/v1/journeys/{journeyId}/release", Json.Body(body));

    public Task<HttpResponseMessage> StartTreatmentAsync(Guid journeyId, object body) =>
        client.PostAsync($"/api/v1/journeys/{journeyId}/community-treatment-start", Json.Body(body));

    /// <summary>
    /// Opens a journey released on <paramref name="releasedOn"/>, picked up on <paramref name="pickedUpOn"/> if given.
    /// </summary>
    public async Task<Guid> ReleasedAsync(LocalDate releasedOn, LocalDate? pickedUpOn = null)
    {
        var id = await OpenAsync();
        Assert.Equal(HttpStatusCode.OK, (await ReleaseAsync(id, Release(releasedOn))).StatusCode);
        if (pickedUpOn is { } pickup)
        {
            Assert.Equal(HttpStatusCode.OK, (await StartTreatmentAsync(id, TreatmentStart(pickup))).StatusCode);
        }

        return id;
    }

    /// <summary>POSTs to /api/v1/journeys/{id}/{action}, with an Idempotency-Key when given.</summary>
    public Task<HttpResponseMessage> PostAsync(
        Guid journeyId, string action, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/journeys/{journeyId}/{action}")
        {
            Content = Json.Body(body),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    /// <summary>Posts and asserts 200; answers the body ({journeyId, version, stage}).</summary>
    public async Task<JourneyWritten> RecordAsync(Guid journeyId, string action, object body)
    {
        var response = await PostAsync(journeyId, action, body);
        Assert.True(
            response.StatusCode == HttpStatusCode.OK,
            $"{action}: expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.ReadAsync<JourneyWritten>();
    }

    /// <summary>GETs <paramref name="url"/>, asserts 200, and reads the body as the service's view record.</summary>
    public async Task<T> GetAsync<T>(string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(
            response.StatusCode == HttpStatusCode.OK,
            $"GET {url}: expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.ReadAsync<T>();
    }

    public async Task<JsonElement> GetJsonAsync(string url) => await GetAsync<JsonElement>(url);

    public Task<JourneyView> JourneyAsync(Guid journeyId) => GetAsync<JourneyView>($"/api/v1/journeys/{journeyId}");

    /// <summary>The types of the journey's events, oldest first.</summary>
    public async Task<IReadOnlyList<string>> HistoryAsync(Guid journeyId) =>
        (await JourneyAsync(journeyId)).History.Select(e => e.Type).ToList();

    public Task<ContinuityReport> ContinuityAsync(string from, string to, string query = "") =>
        GetAsync<ContinuityReport>($"/api/v1/continuity?from={from}&to={to}{query}");
}

public static class Problem
{
    /// <summary>
    /// Asserts an RFC 7807 answer with this status whose field (errors key or "field") is <paramref name="field"/>.
    /// </summary>
    public static async Task<JsonElement> AssertAsync(
        HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", body); // no stack trace
        if (field is not null)
        {
            var named = problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _) ||
                        problem.TryGetProperty("field", out var f) && f.GetString() == field;
            Assert.True(named, $"expected the problem to name '{field}': {body}");
        }

        return problem;
    }
}
