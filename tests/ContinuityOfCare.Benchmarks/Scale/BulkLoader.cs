using System.Diagnostics;
using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Hosting;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Samples;
using JasperFx;
using Marten;
using NodaTime;
using Npgsql;

namespace ContinuityOfCare.Benchmarks.Scale;

/// <summary>
/// A Marten store configured as the service's (its <see cref="ServiceSetup.ConfigureMarten"/>: pinned event names,
/// the inline journey projection), appending straight to the database; no Wolverine, no HTTP.
/// </summary>
public sealed class BulkLoader : IAsyncDisposable
{
    private static readonly RecordedBy Loader = new("scale-benchmark", Roles.Prison, "scale-benchmark");
    private readonly NpgsqlDataSource _dataSource;

    public BulkLoader(string connectionString)
    {
        // The service's data source: NodaTime's types (the journey's duplicated dates are LocalDate) and its session
        // settings, so the catch-up timed here runs as the service's daemon would.
        _dataSource = new NpgsqlDataSourceBuilder(ServiceSetup.WithSessionSettings(connectionString))
            .UseNodaTime().Build();
        Store = DocumentStore.For(options =>
        {
            ServiceSetup.ConfigureMarten(options, new ContinuitySettings());
            options.Connection(_dataSource);
            options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        });
    }

    public DocumentStore Store { get; }

    public Task CreateSchemaAsync() => Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

    /// <summary>
    /// Appends every plan's events, <paramref name="batch"/> journeys per SaveChanges (one transaction),
    /// <paramref name="parallel"/> sessions at a time; each journey's reference is stored as the service stores it.
    /// </summary>
    public async Task<LoadResult> LoadAsync(
        IEnumerable<JourneyPlan> plans, LocalDate today, int batch, int parallel, Action<int>? progress = null)
    {
        long events = 0, refused = 0, journeys = 0;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            plans.Chunk(batch),
            new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (chunk, cancellation) =>
            {
                // Deciding the plans' events is inside the measured time: cheap beside the database's share.
                var planned = chunk.Select(p => PlannedEvents.Of(p, today, ContinuityRules.Default)).ToList();
                await using var session = Store.LightweightSession();
                Audit.Stamp(session, Loader);
                foreach (var journey in planned.Where(j => j.Events.Count > 0))
                {
                    var id = Guid.CreateVersion7();
                    var opened = (JourneyOpened)journey.Events[0];
                    session.Events.StartStream<Journey>(id, journey.Events.Cast<object>().ToArray());
                    session.Insert(new JourneyReference
                    {
                        Id = JourneyReference.IdFor(opened), JourneyId = id, RequestFingerprint = "scale-benchmark",
                    });
                }

                await session.SaveChangesAsync(cancellation);
                Interlocked.Add(ref events, planned.Sum(j => j.Events.Count));
                Interlocked.Add(ref refused, planned.Sum(j => j.Refused));
                progress?.Invoke((int)Interlocked.Add(ref journeys, planned.Count));
            });
        return new LoadResult(journeys, events, refused, watch.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}

public sealed record LoadResult(long Journeys, long Events, long Refused, TimeSpan Elapsed)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}
