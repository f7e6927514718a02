extern alias benchmarks;

using System.Diagnostics;
using static System.StringComparison;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Hosting;
using ContinuityOfCare.Samples;
using ContinuityOfCare.Tests.Support;
using JasperFx.Events.Daemon;
using Marten;
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

    /// <summary>
    /// A load that begins with a page still being applied begins above the agent's committed position (its page's
    /// floor is the last page's ceiling); the agent alone loads only with nothing in flight, from its position.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pages_load_while_the_page_before_them_is_applied_only_with_the_read_ahead(bool readAhead)
    {
        var (loads, ahead, rows) = await CatchUpAsync(readAhead);

        Assert.True(loads >= 8, $"only {loads} pages");
        Assert.Equal(Journeys, rows);
        if (readAhead)
        {
            // Every load but the first starts with a page in hand (8 of 9 in every run so far).
            Assert.True(ahead >= loads / 2, $"{ahead} of {loads} pages loaded while another was applied");
        }
        else
        {
            Assert.Equal(0, ahead);
        }
    }

    private const int Journeys = 2_000;

    internal const string Shard = $"{nameof(ReleaseCohortProjection)}:All";

    private async Task<(int Loads, int Ahead, long Rows)> CatchUpAsync(bool readAhead)
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
        var database = $"/{new NpgsqlConnectionStringBuilder(connection).Database}/";
        IProjectionDaemon? daemon = null;
        var (loads, ahead) = (0, 0);
        using var listener = new ActivityListener
        {
            // Marten's spans come from one source for the whole process: this database's are told by their tag.
            ShouldListenTo = source => source == ((JasperFx.Events.IEventStore)store).ActivitySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = span =>
            {
                if (!span.OperationName.EndsWith(".page.loading", Ordinal)
                    || !span.TagObjects.Any(t => t.Value?.ToString()?.Contains(database, Ordinal) == true)
                    || daemon?.CurrentAgents().FirstOrDefault(a => a.Name.Identity == Shard) is not { } agent)
                {
                    return;
                }

                // Read on the agent's own loop, which is awaiting this load: its position cannot move meanwhile.
                Interlocked.Increment(ref loads);
                if (span.GetTagItem("event.floor") is long floor && floor > agent.Position)
                {
                    Interlocked.Increment(ref ahead);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        daemon = await store.BuildProjectionDaemonAsync();
        using (daemon)
        {
            using var attached = readAhead ? ReadAhead.Attach(daemon) : null;
            await daemon.StartAllAsync();
            await daemon.WaitForNonStaleData(TimeSpan.FromSeconds(60));
            await daemon.StopAllAsync();
        }

        await using var session = store.QuerySession();
        return (loads, ahead, await session.Query<ReleaseCohortEntry>().CountAsync());
    }
}

/// <summary>The service reads ahead for the daemon its node runs, the one its coordinator starts agents on.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ServiceReadAheadTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    [Fact]
    public async Task The_service_reads_ahead_for_the_daemon_that_runs_its_projections()
    {
        var readAhead = Assert.Single(Service.Services.GetServices<IHostedService>().OfType<ReadAheadService>());
        var daemon = Service.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        Assert.Same(daemon, readAhead.Daemon);
        var watch = Stopwatch.StartNew();
        while (!daemon.CurrentAgents().Any(a => a.Name.Identity == ReadAheadTests.Shard))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the cohort projection's agent never started");
            await Task.Delay(50);
        }
    }
}
