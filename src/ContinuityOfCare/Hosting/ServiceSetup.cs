using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Organisations;
using ContinuityOfCare.Web;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Exceptions;
using Marten.Events.Projections;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Npgsql;
using NpgsqlTypes;
using Weasel.Core;
using Weasel.Postgresql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Marten;

namespace ContinuityOfCare.Hosting;

public static class ServiceSetup
{
    /// <summary>Everything the service needs, given where its database is.</summary>
    public static void AddContinuityOfCare(
        this WebApplicationBuilder builder, ServiceDatabase database, ContinuitySettings settings,
        AccessSettings access)
    {
        var services = builder.Services;
        HeaderChecks.ConfigureKestrel(builder);
        services.AddAccess(access);
        services.AddSingleton(database);
        services.AddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton(settings);
        services.AddSingleton(settings.Rules);

        services.AddProblemDetails(Correlation.AddToProblems);
        services.AddExceptionHandler<FaultAnswers>();
        services.AddServiceHealth();
        services.AddApiDescription();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));

        var changesSchema = builder.UseCritterStackDefaults(database);
        services.AddSingleton(_ =>
            new NpgsqlDataSourceBuilder(WithSessionSettings(database.ConnectionString)).UseNodaTime().Build());
        services.AddMarten(provider =>
            {
                var options = new StoreOptions();
                ConfigureMarten(options, settings);
                // "Recorded at" comes from the service's clock, the same
                // one "today" comes from: as-of figures depend on it.
                options.Events.TimeProvider = new ClockTimeProvider(provider.GetRequiredService<IClock>());
                // Hot/cold: a standby node tries the daemon's lock every second (Marten's default is 5), so the
                // projection resumes within seconds of its node dying (SeveralNodeTests measures it).
                options.Projections.LeadershipPollingTime = 1000;
                return options;
            })
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            .ChangesSchemaOnStartup(changesSchema)
            .AddAsyncDaemon(DaemonMode.HotCold)
            .IntegrateWithWolverine();
        services.AddHostedService<ReadAheadService>();

        builder.Host.UseWolverine(opts =>
        {
            opts.Policies.AutoApplyTransactions();
            // Window-close checks are scheduled local messages: kept in PostgreSQL, so downtime cannot lose them.
            opts.Policies.UseDurableLocalQueues();
            opts.Durability.AlwaysMakeScheduledMessagesDurable = true;
            // Every step on a journey gets who asks and their Idempotency-Key from the envelope (see JourneyStep).
            opts.Policies.ForMessagesOfType<IJourneyCommand>().AddMiddleware(typeof(JourneyStepMiddleware));
            // The one retry policy: a write that lost a race (a version check, or the unique key of a journey
            // reference or idempotency record) runs again and decides on what the winner committed.
            opts.OnException<ConcurrencyException>().Or(WriteRaces.IsDuplicateKey).RetryWithCooldown(
                TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
        });
        services.AddWolverineHttp();
        services.AddScreens();
    }

    /// <summary>
    /// PostgreSQL settings for the service's own sessions, put in the connection's startup options so they survive
    /// the pool's reset of each connection. A setting the connection string already gives is left as it is.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> SessionSettings { get; } =
    [
        // The daemon's lock is held by a connection sleeping in pg_sleep: a backend notices its client has died only
        // when that statement ends (about 40 s) unless it checks as it runs. Checking every second lets a standby
        // node take the projections over within seconds of a node's death (PostgreSQL 14 and later).
        ("client_connection_check_interval", "1000"),
        // Every read here is an index read of a few thousand rows at most: a parallel worker, a new process touching
        // each shared buffer afresh, cost more than it saved (time to pickup at 100,000 journeys: 81 ms, 16 without).
        ("max_parallel_workers_per_gather", "0"),
    ];

    /// <summary>
    /// Statements each connection keeps prepared once used 5 times (Npgsql's automatic preparation), unless the
    /// connection string says <c>Max Auto Prepare</c> itself (0 turns it off, as a pooler that cannot keep prepared
    /// statements needs). Marten sends the same few statements again and again (each write's append and document
    /// upsert), each parsed and planned afresh unless prepared. At 10,000 journeys writes through HTTP ran about 45%
    /// faster, and the catch-up about 20% while it upserted a cohort row per journey (README, "Using an existing
    /// PostgreSQL").
    /// </summary>
    public const int MaxAutoPrepare = 64;

    private static bool GivesAutoPrepare(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.Keys.Cast<string>().Any(k =>
            k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
    }

    public static string WithSessionSettings(string connectionString)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        foreach (var (name, value) in SessionSettings)
        {
            if (connection.Options?.Contains(name, StringComparison.Ordinal) != true)
            {
                connection.Options = $"{connection.Options} -c {name}={value}".TrimStart();
            }
        }

        if (!GivesAutoPrepare(connectionString))
        {
            connection.MaxAutoPrepare = MaxAutoPrepare;
        }

        return connection.ConnectionString;
    }

    public static void ConfigureMarten(StoreOptions opts, ContinuitySettings settings)
    {
        // Marten.NodaTime would teach Weasel these; it is not served here (see README), so map them ourselves.
        PostgresqlProvider.Instance.RegisterMapping(typeof(LocalDate), "date", NpgsqlDbType.Date);
        PostgresqlProvider.Instance.RegisterMapping(
            typeof(Instant), "timestamp with time zone", NpgsqlDbType.TimestampTz);

        opts.UseSystemTextJsonForSerialization(
            EnumStorage.AsString, Casing.CamelCase, o => o.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb));

        opts.Events.StreamIdentity = StreamIdentity.AsGuid;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;

        // The daemon's advisory lock runs on upstream DistributedLock.Postgres 1.3.1 (the stand-in package), which
        // cannot multiplex over a data source; the transaction-scoped lock is supported and holds the same lock.
        opts.Events.UseAdvisoryLockTransaction = true;

        opts.AddJourneys();
        opts.AddContinuity(settings);
        opts.AddOrganisations();
    }

    public static void MapContinuityOfCare(this WebApplication app)
    {
        app.UseCorrelation();
        app.UseHeaderChecks();
        // Unhandled errors become a bare problem+json 500: never a stack trace, whatever the environment.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseScreenAssets();
        app.UseAccess();
        app.MapServiceHealth();
        app.MapApiDescription();
        app.MapWolverineEndpoints();
        app.MapScreens();
        app.MapFallback("/api/{**path}", (HttpContext http) => Problems.UnknownPath(http.Request.Path))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapScreensFallback();
    }
}

/// <summary>NodaTime's clock as the TimeProvider Marten stamps events with.</summary>
public sealed class ClockTimeProvider(IClock clock) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => clock.GetCurrentInstant().ToDateTimeOffset();
}

/// <summary>Errors that mean another writer committed the same thing first.</summary>
public static class WriteRaces
{
    public static bool IsDuplicateKey(Exception e) =>
        e is DocumentAlreadyExistsException or Marten.Exceptions.ExistingStreamIdCollisionException ||
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } ||
        (e.InnerException is not null && IsDuplicateKey(e.InnerException));
}
