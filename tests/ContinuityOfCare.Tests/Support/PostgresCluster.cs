using ContinuityOfCare.EmbeddedPostgres;

namespace ContinuityOfCare.Tests.Support;

/// <summary>
/// A test collection's view of the one throwaway PostgreSQL server every database test shares, started with the
/// same component the service uses for its embedded default, so `dotnet test` needs nothing running beforehand.
/// Collections run in parallel: each has its own databases and its own shared services, and the server stops when
/// the last collection using it is done (one initdb for the whole run).
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private static readonly SemaphoreSlim ServerLock = new(1, 1);
    private static EmbeddedPostgresCluster? _server;
    private static int _users;
    private static int _databases;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<ServiceFactory>>> _shared =
        new();

    public async Task InitializeAsync()
    {
        await ServerLock.WaitAsync();
        try
        {
            _server ??= await EmbeddedPostgresCluster.StartAsync(EmbeddedPostgresOptions.Throwaway("tests_default"));
            _users++;
        }
        finally
        {
            ServerLock.Release();
        }
    }

    public Task<string> NewDatabaseAsync(string purpose) =>
        (_server ?? throw new InvalidOperationException("Cluster not started"))
        .CreateDatabaseAsync($"{purpose}_{Interlocked.Increment(ref _databases)}");

    /// <summary>
    /// One service for every test of this collection that runs with the same settings, whatever its class (started
    /// on first use, stopped with the collection): a host costs far more to start than a reset.
    /// <see cref="ServiceTests"/> empties it before each test; a collection runs one test at a time, so no two tests
    /// share it at once.
    /// </summary>
    public Task<ServiceFactory> SharedServiceAsync(
        IReadOnlyDictionary<string, string>? settings = null, bool onSocket = false)
    {
        var key = string.Join(
            ";", (settings ?? new Dictionary<string, string>()).OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"));
        return _shared.GetOrAdd($"{key}|socket={onSocket}", _ => new Lazy<Task<ServiceFactory>>(
            () => ServiceFactory.StartAsync(this, "shared", settings, onSocket))).Value;
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _shared.Values)
        {
            await (await service.Value).DisposeAsync();
        }

        await ServerLock.WaitAsync();
        try
        {
            if (--_users == 0 && _server is not null)
            {
                await _server.DisposeAsync();
                _server = null;
            }
        }
        finally
        {
            ServerLock.Release();
        }
    }
}

/// <summary>The HTTP tests of the service in memory.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}

/// <summary>
/// Tests that start the service as a real process or load thousands of journeys: apart from the in-memory HTTP
/// tests so that both run at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HeavyPostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres-heavy";
}
