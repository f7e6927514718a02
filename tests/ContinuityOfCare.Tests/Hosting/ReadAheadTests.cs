extern alias benchmarks;

using System.Diagnostics;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Hosting;
using ContinuityOfCare.Samples;
using ContinuityOfCare.Tests.Support;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Npgsql;
using benchmarks::ContinuityOfCare.Benchmarks.Scale;

namespace ContinuityOfCare.Tests.Hosting;

/// <summary>
/// A projection far behind loads its next page of events while the last is applied and committed, instead of in
/// turn with it (JasperFx's agent alone loads a page only as the one before it commits).
/// </summary>
[Collection(HeavyPostgresCollection.Name)]
public sealed class ReadAheadTests(PostgresCluster postgres)
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    [Fact]
    public async Task Pages_load_while_the_page_before_them_is_applied_and_committed()
    {
        var (pages, overlapping, rows) = await CatchUpAsync(readAhead: true);

        Assert.True(pages >= 8, $"only {pages} pages");
        // Every page after the first could load ahead; a few may still load in turn when a commit outruns a load.
        Assert.True(overlapping >= pages / 2, $"{overlapping} of {pages} pages loaded while another was applied");
        Assert.Equal(Journeys, rows);
    }

    private const int Journeys = 2_000;

    private async Task<(int Pages, int Overlapping, long Rows)> CatchUpAsync(bool readAhead)
    {
        var connection = await postgres.NewDatabaseAsync("read_ahead");
        await using (var loader = new BulkLoader(connection))
        {
            await loader.CreateSchemaAsync();
            var plans = SyntheticJourneys.Generate(
                new GeneratorSettings(Journeys, new LocalDate(2025, 4, 1), Today, Seed: 3));
            await loader.LoadAsync(plans, Today, batch: 500, parallel: 2);
        }

        await using var data = new NpgsqlDataSourceBuilder(connection).UseNodaTime().Build();
        using var store = DocumentStore.For(options =>
        {
            ServiceSetup.ConfigureMarten(options, new ContinuitySettings { ProjectionBatchSize = 1_000 });
            options.Connection(data);
        });
        var spans = new List<(string Name, DateTime Start, DateTime End)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source == ((JasperFx.Events.IEventStore)store).ActivitySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = span =>
            {
                lock (spans)
                {
                    spans.Add((span.OperationName, span.StartTimeUtc, span.StartTimeUtc + span.Duration));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var daemon = await store.BuildProjectionDaemonAsync();
        using var attached = readAhead ? ReadAhead.Attach(daemon) : null;
        await daemon.StartAllAsync();
        await daemon.WaitForNonStaleData(TimeSpan.FromSeconds(60));
        await daemon.StopAllAsync();
        long rows;
        await using (var session = store.QuerySession())
        {
            rows = await session.Query<ReleaseCohortEntry>().CountAsync();
        }

        List<(string Name, DateTime Start, DateTime End)> seen;
        lock (spans)
        {
            seen = [.. spans];
        }

        var loads = seen.Where(s => s.Name.EndsWith(".page.loading", StringComparison.Ordinal)).ToList();
        var applies = seen.Where(s => s.Name.EndsWith(".page.execution", StringComparison.Ordinal)).ToList();
        var overlapping = loads.Count(l => applies.Any(a => a.Start < l.Start && l.Start < a.End));
        return (loads.Count, overlapping, rows);
    }
}

/// <summary>The service reads ahead for the daemon its node runs, the one its coordinator starts agents on.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ServiceReadAheadTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    [Fact]
    public async Task The_service_reads_ahead_for_the_daemon_that_runs_its_projections()
    {
        Assert.Contains(Service.Services.GetServices<IHostedService>(), s => s is ReadAheadService);
        var daemon = Service.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        var watch = Stopwatch.StartNew();
        while (!daemon.CurrentAgents().Any(a => a.Name.Identity == $"{nameof(ReleaseCohortProjection)}:All"))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the cohort projection's agent never started");
            await Task.Delay(50);
        }
    }
}
