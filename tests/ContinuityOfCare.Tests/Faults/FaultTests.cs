using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ContinuityOfCare.EmbeddedPostgres;
using ContinuityOfCare.Tests.Support;

namespace ContinuityOfCare.Tests.Faults;

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultCluster>
{
    public const string Name = "faults";
}

/// <summary>
/// The fault tests' own PostgreSQL server, which they may crash (and restart): one for all of them, since each
/// test leaves it running and uses a database of its own.
/// </summary>
public sealed class FaultCluster : IAsyncLifetime
{
    private int _databases;

    public EmbeddedPostgresCluster Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await EmbeddedPostgresCluster.StartAsync(EmbeddedPostgresOptions.Throwaway("faults"));

    public Task<string> NewDatabaseAsync(string purpose) =>
        Server.CreateDatabaseAsync($"{purpose}_{Interlocked.Increment(ref _databases)}");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The real service process under faults: killed with SIGKILL under a write load, its database stopped abruptly
/// under load, slow and malformed requests at the socket. Its own PostgreSQL cluster, which the tests can crash.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class FaultTests(FaultCluster postgres)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly string Token = ServiceProcess.DevelopmentToken(
        ["prison", "provider"], ["LEI", "FORWARD-LEEDS"]);
    private async Task<(ServiceProcess Service, HttpClient Client, Dictionary<string, string> Settings)> StartAsync(
        string purpose)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Marten"] = await postgres.NewDatabaseAsync(purpose),
            ["Authentication__RequestsPerMinute"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var service = ServiceProcess.Start(settings);
        var client = await service.WaitUntilHealthyAsync(StartTimeout);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return (service, client, settings);
    }

    [Fact]
    public async Task Every_acknowledged_write_is_there_after_a_kill_9_under_a_16_way_write_load()
    {
        var (service, client, settings) = await StartAsync("kill");
        var acknowledged = new ConcurrentDictionary<Guid, long>();
        var killed = 0;

        async Task WriteUntilKilledAsync(int worker)
        {
            for (var n = 0; Volatile.Read(ref killed) == 0; n++)
            {
                try
                {
                    var opened = await client.PostAsync(
                        "/api/v1/journeys", Json.Body(JourneyApi.Registration($"KILL-{worker}-{n}")));
                    if (opened.StatusCode != HttpStatusCode.Created)
                    {
                        continue;
                    }

                    var id = (await opened.ReadJsonAsync()).GetProperty("journeyId").GetGuid();
                    acknowledged[id] = 1;
                    var released = await client.PostAsync(
                        $"/api/v1/journeys/{id}/release", Json.Body(JourneyApi.Release(new(2026, 11, 20))));
                    if (released.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged[id] = (await released.ReadJsonAsync()).GetProperty("version").GetInt64();
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
                {
                    // The service died mid-request: that write was never acknowledged.
                }
            }
        }

        await using (service)
        {
            // Both endpoints once first: their code is generated on first use, which on a busy machine took most of
            // a fixed time budget for the load. The kill comes once 150 journeys are acknowledged.
            var warm = await client.PostAsync("/api/v1/journeys", Json.Body(JourneyApi.Registration("KILL-WARM")));
            var warmId = (await warm.ReadJsonAsync()).GetProperty("journeyId").GetGuid();
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(
                $"/api/v1/journeys/{warmId}/release", Json.Body(JourneyApi.Release(new(2026, 11, 20))))).StatusCode);
            var load = Enumerable.Range(0, 16).Select(WriteUntilKilledAsync).ToList();
            await WaitUntilAsync(
                () => acknowledged.Count >= 150, "150 journeys were not acknowledged within a minute");

            await service.KillAsync();
            Interlocked.Exchange(ref killed, 1);
            await Task.WhenAll(load);
        }

        Assert.True(acknowledged.Count >= 150, $"only {acknowledged.Count} journeys were opened under load");
        await using var restarted = ServiceProcess.Start(settings);
        var again = await restarted.WaitUntilHealthyAsync(StartTimeout);
        again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        foreach (var (id, version) in acknowledged)
        {
            var journey = await again.GetAsync($"/api/v1/journeys/{id}");
            Assert.Equal(HttpStatusCode.OK, journey.StatusCode);
            Assert.True(
                (await journey.ReadJsonAsync()).GetProperty("version").GetInt64() >= version,
                $"journey {id} lost a write");
        }
    }

    [Fact]
    public async Task With_its_database_stopped_under_load_the_service_answers_503_with_Retry_After_and_then_recovers()
    {
        var (service, client, _) = await StartAsync("outage");
        await using var _ = service;
        var answers = new ConcurrentBag<(HttpStatusCode Status, string? RetryAfter, string? ContentType)>();
        var stop = new CancellationTokenSource();

        async Task LoadAsync(int worker)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var response = n % 2 == 0
                    ? await client.PostAsync(
                        "/api/v1/journeys", Json.Body(JourneyApi.Registration($"OUTAGE-{worker}-{n}")))
                    : await client.GetAsync("/api/v1/prisons/LEI/releases-due");
                answers.Add((
                    response.StatusCode, response.Headers.RetryAfter?.ToString(),
                    response.Content.Headers.ContentType?.MediaType));
                await Task.Delay(20);
            }
        }

        // Each endpoint once first: its code is generated on first use, which on a busy machine can outlast the
        // outage.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(
            "/api/v1/journeys", Json.Body(JourneyApi.Registration("OUTAGE-WARM")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/prisons/LEI/releases-due")).StatusCode);
        var load = Enumerable.Range(0, 8).Select(LoadAsync).ToList();
        await WaitUntilAsync(() => answers.Count >= 16, "the load did not start");
        await postgres.Server.CrashServerAsync();
        await WaitUntilAsync(() => answers.Any(a => a.Status == HttpStatusCode.ServiceUnavailable), "no 503 answer");

        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("database unavailable", (await health.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        await postgres.Server.RestartServerAsync();
        var recovered = Stopwatch.StartNew();
        while ((await client.GetAsync("/health")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(recovered.Elapsed < TimeSpan.FromSeconds(30), "the service did not recover within 30 s");
            await Task.Delay(200);
        }

        int Created() => answers.Count(a => a.Status == HttpStatusCode.Created);
        var before = Created();
        await WaitUntilAsync(() => Created() > before, "no write succeeded after recovery");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var seen = string.Join(", ", answers.GroupBy(a => a.Status).Select(g => $"{(int)g.Key}: {g.Count()}"));
        Assert.DoesNotContain(answers, a => a.Status == HttpStatusCode.InternalServerError);
        var unavailable = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.True(
            unavailable.Count > 0,
            $"no 503 among {seen}:\n{service.Output[^Math.Min(4000, service.Output.Length)..]}");
        Assert.All(unavailable, a =>
        {
            Assert.Equal("5", a.RetryAfter);
            Assert.Equal("application/problem+json", a.ContentType);
        });
        Assert.All(answers, a => Assert.Contains(
            a.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(
            "/api/v1/journeys", Json.Body(JourneyApi.Registration("OUTAGE-AFTER")))).StatusCode);
    }

    [Fact]
    public async Task Requests_the_web_server_refuses_get_a_problem_body_where_the_server_lets_the_app_answer()
    {
        var (service, client, _) = await StartAsync("socket");
        await using var _ = service;
        var port = new Uri(service.Url).Port;
        // The endpoint's code is generated on its first request, before the body is read: warm it, so the slow body
        // is timed by Kestrel alone.
        var warm = await client.PostAsync("/api/v1/journeys", Json.Body(JourneyApi.Registration("SOCKET-WARM")));
        Assert.Equal(HttpStatusCode.Created, warm.StatusCode);

        // A body that stops arriving: Kestrel's minimum data rate gives up after its 5 s grace.
        var slow = await RawAsync(
            port,
            $"POST /api/v1/journeys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {Token}\r\n" +
            "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{",
            TimeSpan.FromSeconds(20));
        AssertProblem(slow, 408);

        var huge = await RawAsync(
            port, $"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: {new string('a', 40_000)}\r\n\r\n");
        AssertProblem(huge, 431);

        var latin1 = await RawAsync(port, "GET /health HTTP/1.1\r\nHost: x\r\nX-Name: caf\u00e9\r\n\r\n");
        AssertProblem(latin1, 400);
        Assert.Contains("X-Name", latin1);
    }

    /// <summary>Waits for what the test itself has observed (its own answers), a minute at most.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), failure);
            await Task.Delay(50);
        }
    }

    private static void AssertProblem(string response, int status)
    {
        Assert.StartsWith($"HTTP/1.1 {status} ", response);
        Assert.Contains("Content-Type: application/problem+json", response);
        Assert.Contains($"\"status\":{status}", response);
    }

    /// <summary>
    /// Sends <paramref name="request"/> as Latin-1 bytes and reads until the server closes or answers.
    /// </summary>
    private static async Task<string> RawAsync(int port, string request, TimeSpan? timeout = null)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var received = new StringBuilder();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancel.Token)) > 0)
            {
                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
                var text = received.ToString();
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0 && HasWholeBody(text, end))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }

        return received.ToString();
    }

    private static bool HasWholeBody(string text, int headerEnd)
    {
        var length = text[..headerEnd].Split("\r\n")
            .FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            ?.Split(':')[1].Trim();
        return length is null
            ? text.EndsWith("0\r\n\r\n", StringComparison.Ordinal) || text[..headerEnd].Contains("Content-Length: 0")
            : text.Length - headerEnd - 4 >= int.Parse(length);
    }
}
