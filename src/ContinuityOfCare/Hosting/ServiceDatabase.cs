using ContinuityOfCare.EmbeddedPostgres;

namespace ContinuityOfCare.Hosting;

/// <summary>
/// Where the service's data lives: the configured ConnectionStrings:Marten when there is one, otherwise the
/// embedded default, a private PostgreSQL cluster started now and stopped when this is disposed.
/// </summary>
public sealed class ServiceDatabase : IAsyncDisposable
{
    public const string ConnectionStringName = "Marten";

    private readonly EmbeddedPostgresCluster? _cluster;

    private ServiceDatabase(string connectionString, EmbeddedPostgresCluster? cluster)
    {
        ConnectionString = connectionString;
        _cluster = cluster;
    }

    public string ConnectionString { get; }

    public bool IsEmbedded => _cluster is not null;

    public static async Task<ServiceDatabase> OpenAsync(
        IConfiguration configuration, ILogger logger, CancellationToken cancellation = default)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new ServiceDatabase(configured, null);
        }

        var options = new EmbeddedPostgresOptions();
        configuration.GetSection("EmbeddedPostgres").Bind(options);
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            options.DataDirectory = EmbeddedPostgresOptions.DefaultDataDirectory();
        }

        logger.LogInformation(
            "No ConnectionStrings:{Name} configured: using the embedded default database", ConnectionStringName);
        var cluster = await EmbeddedPostgresCluster.StartAsync(options, logger, cancellation);
        return new ServiceDatabase(cluster.ConnectionString, cluster);
    }

    public ValueTask DisposeAsync() => _cluster?.DisposeAsync() ?? ValueTask.CompletedTask;
}
