using System.Net.Http.Json;
using System.Text.Json;
using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity.Cells;
using ContinuityOfCare.Http;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using NodaTime;
using NodaTime.Testing;
using Wolverine.Tracking;

namespace ContinuityOfCare.Tests.Support;

/// <summary>
/// The real service (Wolverine endpoints, Marten, async daemon) in memory over its own database of the shared
/// cluster, with a clock the test moves. "Now" starts at noon on 2026-11-23, London time. On a socket (Kestrel on a
/// free loopback port) for a browser, otherwise in memory.
/// </summary>
public sealed class ServiceFactory(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    public static readonly Instant Start = Instant.FromUtc(2026, 11, 23, 12, 0);

    private TrackedRequests? _tracking;

    public FakeClock Clock { get; } = new(Start);

    public IHost Host => Services.GetRequiredService<IHost>();

    /// <summary>Writes through this service's clients wait for what they cause.</summary>
    public TrackedRequests Tracking => _tracking ??= new TrackedRequests(() => Host);

    public static async Task<ServiceFactory> StartAsync(
        PostgresCluster postgres, string purpose, IReadOnlyDictionary<string, string>? settings = null,
        bool onSocket = false)
    {
        var factory = new ServiceFactory(await postgres.NewDatabaseAsync(purpose), settings);
        // Start the host now, so tests time only their own requests.
        if (onSocket)
        {
            factory.UseKestrel(0);
            factory.StartServer();
            factory.ClientOptions.BaseAddress = factory.Address;
            factory.OnSocket = true;
        }
        else
        {
            _ = factory.Server;
        }

        return factory;
    }

    public bool OnSocket { get; private set; }

    /// <summary>Where a host started on a socket listens, e.g. http://127.0.0.1:40123.</summary>
    public Uri Address => new(Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Marten", connectionString);
        builder.UseSetting("Authentication:DevelopmentSigningKey", Access.DevelopmentSigningKey!);
        builder.UseSetting("Authentication:RequestsPerMinute", "1000000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
        builder.UseEnvironment("Testing");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IClock>();
            services.AddSingleton<IClock>(Clock);
        });
    }

    public string ConnectionString => connectionString;

    public static readonly AccessSettings Access = new()
    {
        DevelopmentSigningKey = "the-test-suite's-own-signing-key-0123456789",
    };

    /// <summary>
    /// Every client starts as a caller holding the prison, provider and analyst roles for every organisation the tests
    /// use, so tests about the pathway are not about access; the access tests set their own tokens.
    /// </summary>
    public static readonly string[] Organisations =
    [
        "LEI", "WYI", "HUL", "DUR", "WDI", "HLI", "DMI", "NMI", "BWI",
        "FORWARD-LEEDS", "CGL-WAKEFIELD", "CGL", "RENEW-HULL", "HUMANKIND-DURHAM", "FRAMEWORK-NOTTS", "WCADA-WREXHAM",
    ];

    public static string Token(
        IEnumerable<string> roles, IEnumerable<string> organisations, IEnumerable<string>? permissions = null,
        string user = "test-user") =>
        DevelopmentTokens.Mint(Access, user, roles, organisations, permissions);

    public static string Token(string role, string organisation, params string[] permissions) =>
        Token([role], [organisation], permissions);

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", Token([Roles.Prison, Roles.Provider, Roles.Analyst], Organisations));
    }

    /// <summary>A client with every role (see <see cref="ConfigureClient"/>) whose writes are tracked.</summary>
    public new HttpClient CreateClient() => CreateDefaultClient(Tracking.Handler());

    /// <summary>A client calling as <paramref name="token"/> (or with no credentials when null).</summary>
    public HttpClient ClientAs(string? token)
    {
        // Redirects are answers too: a screen sends a caller without a session to sign in. (On a socket the factory's
        // client options are not applied to its handler, so the client is made here.)
        var client = OnSocket
            ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Address }
            : CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = token is null
            ? null
            : new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        catch (Exception e) when (ContinuityOfCare.Hosting.ShutdownRace.IsProjectionCoordinatorStop(e))
        {
            // The upstream shutdown race the service itself tolerates (see ShutdownRace): the host has stopped.
        }
    }

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    /// <summary>
    /// Empties the database as a new host would find it: Marten's documents and events (with the projection daemon
    /// paused, so it starts again from the beginning) and Wolverine's stored messages; the clock back at the start.
    /// </summary>
    public async Task ResetAsync()
    {
        await Host.ResetAllMartenDataAsync();
        // Marten's reset clears its documents and events, not the cohort cells' own tables.
        await CohortCellStore.ClearAsync(Store);
        await Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>().Storage.Admin.ClearAllAsync();
        Clock.Reset(Start);
    }

    /// <summary>Moves "today" (London) to <paramref name="date"/>, at noon.</summary>
    public void SetToday(LocalDate date) =>
        Clock.Reset(
            date.At(new LocalTime(12, 0)).InZoneStrictly(ContinuityOfCare.Continuity.LondonCalendar.Zone).ToInstant());

    /// <summary>Waits until the async projections have caught up with every committed event.</summary>
    public Task CatchUpAsync() => Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    /// <summary>
    /// Every event recorded so far. Writes through the test clients return once the messages they caused (window-close
    /// checks for windows already closed) are handled, so what a test counts is what its own requests caused.
    /// </summary>
    public async Task<long> EventCountAsync()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().LongCountAsync();
    }

    /// <summary>Runs racing writes (or anything) in one tracked session.</summary>
    public Task<ITrackedSession> TrackAsync(Func<Task> action, TimeSpan? timeout = null) =>
        Tracking.TrackAsync(action, timeout);

    /// <summary>Events on one journey.</summary>
    public async Task<long> EventCountAsync(Guid journeyId)
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().Where(e => e.StreamId == journeyId).LongCountAsync();
    }
}

public static class Json
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(ApiJson.Options);

    /// <summary>The body as the service's own view record, read as strictly as the service reads requests.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(ApiJson.Options))!;

    public static StringContent Body(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static StringContent Body(object value) => Body(JsonSerializer.Serialize(value, ApiJson.Options));
}
