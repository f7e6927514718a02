using ContinuityOfCare.EmbeddedPostgres;

namespace ContinuityOfCare.Tests.Support;

/// <summary>
/// One throwaway PostgreSQL cluster for every test that needs a database, started with the same component the
/// service uses for its embedded default, so `dotnet test` needs nothing running beforehand. Each test class asks
/// for its own database, so classes never see each other's journeys.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<ServiceFactory>>> _shared =
        new();
    private EmbeddedPostgresCluster? _cluster;
    private int _databases;

    public EmbeddedPostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("Cluster not started");

    public async Task InitializeAsync() =>
        _cluster = await EmbeddedPostgresCluster.StartAsync(EmbeddedPostgresOptions.Throwaway("tests_default"));

    public Task<string> NewDatabaseAsync(string purpose) =>
        Cluster.CreateDatabaseAsync($"{purpose}_{Interlocked.Increment(ref _databases)}");

    /// <summary>
    /// One service for every test that runs with the same settings, whatever its class (started on first use,
    /// stopped with the cluster): a host costs far more to start than a reset. <see cref="ServiceTests"/> empties it
    /// before each test; the collection runs one test at a time, so no two tests share it at once.
    /// </summary>
    public Task<ServiceFactory> SharedServiceAsync(
        IReadOnlyDictionary<string, string>? settings = null, bool onSocket = false)
    {
        var key = string.Join(
            ";", (settings ?? new Dictionary<string, string>()).OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"));
        return _shared.GetOrAdd($"{key}|socket={onSocket}", _ => new Lazy<Task<ServiceFactory>>(
            () => ServiceFactory.StartAsync(this, $"shared{_shared.Count}", settings, onSocket))).Value;
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _shared.Values)
        {
            await (await service.Value).DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
