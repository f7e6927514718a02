using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Journeys.TreatmentStart;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Npgsql;
using NpgsqlTypes;
using Weasel.Core;
using Weasel.Postgresql;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace ContinuityOfCare.Hosting;

public static class ServiceSetup
{
    /// <summary>Everything the service needs, given where its database is.</summary>
    public static void AddContinuityOfCare(this WebApplicationBuilder builder, ServiceDatabase database)
    {
        var services = builder.Services;
        services.AddSingleton(database);
        services.AddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton(builder.Configuration.GetSection("Continuity").Get<ContinuitySettings>() ?? new ContinuitySettings());
        services.AddSingleton<JourneyWriter>();

        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));

        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(database.ConnectionString).UseNodaTime().Build());
        services.AddMarten(ConfigureMarten)
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonMode.HotCold)
            .IntegrateWithWolverine();

        builder.Host.UseWolverine(opts => opts.Policies.AutoApplyTransactions());
        services.AddWolverineHttp();
    }

    public static void ConfigureMarten(StoreOptions opts)
    {
        // Marten.NodaTime would teach Weasel these; it is not served here (see README), so map them ourselves.
        PostgresqlProvider.Instance.RegisterMapping(typeof(LocalDate), "date", NpgsqlDbType.Date);
        PostgresqlProvider.Instance.RegisterMapping(typeof(Instant), "timestamp with time zone", NpgsqlDbType.TimestampTz);

        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.UseSystemTextJsonForSerialization(
            EnumStorage.AsString, Casing.CamelCase, o => o.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb));

        opts.Events.StreamIdentity = StreamIdentity.AsGuid;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;

        // The daemon's advisory lock runs on upstream DistributedLock.Postgres 1.3.1 (the stand-in package), which
        // cannot multiplex over a data source; the transaction-scoped lock is supported and holds the same lock.
        opts.Events.UseAdvisoryLockTransaction = true;

        // Stored type names are part of the data: fixed here so renaming a class cannot orphan recorded events.
        opts.Events.MapEventType<JourneyOpened>("journey_opened");
        opts.Events.MapEventType<ReleasedFromCustody>("released_from_custody");
        opts.Events.MapEventType<CommunityTreatmentStarted>("community_treatment_started");

        opts.Projections.Snapshot<Journey>(SnapshotLifecycle.Inline);
        opts.Schema.For<JourneyReference>();

        opts.Projections.Add<ReleaseCohortProjection>(ProjectionLifecycle.Async);
        opts.Schema.For<ReleaseCohortEntry>().Duplicate(e => e.ReleasedOn, pgType: "date", dbType: NpgsqlDbType.Date);
    }

    public static void MapContinuityOfCare(this WebApplication app)
    {
        // Unhandled errors become a bare problem+json 500: never a stack trace, whatever the environment.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapWolverineEndpoints();
    }
}
