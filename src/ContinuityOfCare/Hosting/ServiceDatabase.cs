using ContinuityOfCare.Continuity;
using ContinuityOfCare.EmbeddedPostgres;

namespace ContinuityOfCare.Hosting;

/// <summary>
/// Where the service's data lives: the configured ConnectionStrings:Marten when there is one, otherwise the
/// embedded default, a private PostgreSQL cluster started when first needed and stopped when this is disposed.
/// Starting late lets host commands that never touch the database (help, mint-token) start none.
/// </summary>
public sealed class ServiceDatabase : IAsyncDisposable
{
    public const string ConnectionStringName = "Marten";
    public const string ApplyChangesSetting = "Database:ApplyChangesOnStartup";

    private readonly string? _configured;
    private readonly Lazy<Task<EmbeddedPostgresCluster>>? _cluster;

    private ServiceDatabase(string? configured, Lazy<Task<EmbeddedPostgresCluster>>? cluster, bool applyChanges)
    {
        _configured = configured;
        _cluster = cluster;
        ApplyChangesOnStartup = applyChanges;
    }

    public bool IsEmbedded => _cluster is not null;

    /// <summary>
    /// Whether the service brings the schema up to date when it starts outside Development: always for the embedded
    /// default (the service owns it), and for a configured database only when Database__ApplyChangesOnStartup says so.
    /// </summary>
    public bool ApplyChangesOnStartup { get; }

    /// <summary>The connection string; the embedded default is started on first use.</summary>
    // DI factories are synchronous; the first use is at startup, on no synchronisation context.
    public string ConnectionString => _configured ?? _cluster!.Value.GetAwaiter().GetResult().ConnectionString;

    /// <summary>Reads the settings; starts nothing.</summary>
    public static ServiceDatabase From(IConfiguration configuration, ILogger logger)
    {
        if (!bool.TryParse(configuration[ApplyChangesSetting] ?? "false", out var applyChanges))
        {
            throw new InvalidSettingsException("Database__ApplyChangesOnStartup must be true or false");
        }

        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new ServiceDatabase(configured, null, applyChanges);
        }

        var options = new EmbeddedPostgresOptions();
        configuration.GetSection("EmbeddedPostgres").Bind(options);
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            options.DataDirectory = EmbeddedPostgresOptions.DefaultDataDirectory();
        }

        return new ServiceDatabase(null, new Lazy<Task<EmbeddedPostgresCluster>>(() =>
        {
            logger.LogInformation(
                "No ConnectionStrings:{Name} configured: using the embedded default database", ConnectionStringName);
            return EmbeddedPostgresCluster.StartAsync(options, logger);
        }), applyChanges: true);
    }

    /// <summary>Starts the embedded default now (if it is the one and not yet started).</summary>
    public Task StartAsync() => _cluster?.Value ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not { IsValueCreated: true })
        {
            return;
        }

        EmbeddedPostgresCluster cluster;
        try
        {
            cluster = await _cluster.Value;
        }
        catch (EmbeddedPostgresException)
        {
            return; // a start that failed left nothing running (the cluster releases its lock itself)
        }

        await cluster.DisposeAsync();
    }
}
