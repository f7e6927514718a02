using ContinuityOfCare.EmbeddedPostgres;

namespace ContinuityOfCare.Tests.Support;

/// <summary>
/// One throwaway PostgreSQL cluster for every test that needs a database, started with the same component the
/// service uses for its embedded default, so `dotnet test` needs nothing running beforehand. Each test class asks
/// for its own database, so classes never see each other's journeys.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private EmbeddedPostgresCluster? _cluster;
    private int _databases;

    public EmbeddedPostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("Cluster not started");

    public async Task InitializeAsync() =>
        _cluster = await EmbeddedPostgresCluster.StartAsync(EmbeddedPostgresOptions.Throwaway("tests_default"));

    public Task<string> NewDatabaseAsync(string purpose) =>
        Cluster.CreateDatabaseAsync($"{purpose}_{Interlocked.Increment(ref _databases)}");

    public async Task DisposeAsync()
    {
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
