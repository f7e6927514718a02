using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Continuity.Cells;
using ContinuityOfCare.EmbeddedPostgres;
using ContinuityOfCare.Hosting;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Journeys.TreatmentStart;
using ContinuityOfCare.Samples;
using Marten;
using NodaTime;
using NodaTime.Text;
using Npgsql;

namespace ContinuityOfCare.Benchmarks.Scale;

/// <summary>
/// `scale`: bulk-loads N synthetic journeys through Marten, starts the real service on them, and measures what the
/// issue asks for (README, "Benchmarks"): projection catch-up, analyst queries and worklists through HTTP, and HTTP
/// ingest against plain Marten appends of the same transactions. Prints one markdown table.
/// </summary>
public static class ScaleRun
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        if (ScaleOptions.Parse(args) is not { } options)
        {
            return 2;
        }

        var today = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date;
        // As the samples load: releases from the start of the previous financial year to today.
        var previousYear = new LocalDate(today.Month >= 4 ? today.Year - 1 : today.Year - 2, 4, 1);
        var figures = new List<Figure>();

        EmbeddedPostgresCluster? cluster = null;
        var connection = options.Connection;
        if (connection is null)
        {
            var throwaway = EmbeddedPostgresOptions.Throwaway("continuity_of_care_scale");
            throwaway.Durable = !options.NoSync;
            Say($"Starting a throwaway PostgreSQL in {throwaway.DataDirectory} " +
                $"({(options.NoSync ? "fsync off (--no-sync)" : "fsync on, as in production")})");
            cluster = await EmbeddedPostgresCluster.StartAsync(throwaway);
            connection = cluster.ConnectionString;
        }

        try
        {
            await using var loader = new BulkLoader(connection);
            await loader.CreateSchemaAsync();

            // 1. Bulk load through Marten.
            var plans = SyntheticJourneys.Stream(new GeneratorSettings(
                options.Journeys, previousYear, today, Seed: options.Seed));
            Say($"Loading {options.Journeys:N0} journeys through Marten ({options.Batch} a transaction, " +
                $"{options.Parallel} at a time)...");
            var lastSaid = Stopwatch.StartNew();
            var load = await loader.LoadAsync(plans, today, options.Batch, options.Parallel, loaded =>
            {
                if (lastSaid.Elapsed > TimeSpan.FromSeconds(10))
                {
                    lastSaid.Restart();
                    Say($"  {loaded:N0} journeys");
                }
            });
            Say($"Loaded {load.Journeys:N0} journeys, {load.Events:N0} events in {load.Elapsed.TotalSeconds:F1} s " +
                $"({load.Refused} planned steps refused by the rules)");
            figures.Add(new("Bulk load through Marten, events/s", Rate(load.EventsPerSecond), "", null));

            Say("Vacuum and analyze");
            // As after any bulk load (PostgreSQL's "Populating a Database"), and before the catch-up: otherwise
            // autovacuum's first passes over the loaded events, and the hint bits the first reader of each row sets,
            // run during the catch-up, where a projection catching up in service reads events written long before.
            // At 100,000 journeys the first catch-up ran at 13,775 events/s with the vacuum after it, 17,155 before.
            var vacuum = Stopwatch.StartNew();
            await DatabaseSizes.VacuumAnalyzeAsync(connection);
            figures.Add(new("Vacuum and analyze after the load, s", vacuum.Elapsed.TotalSeconds.ToString(
                "F1", Invariant), "", null));

            // 2. The async daemon catches up the cohort projection; then the service starts on the result.
            Say("Catching up the cohort projection (async daemon)...");
            var catchUp = await CatchUp.MeasureAsync(loader.Store, connection, TimeSpan.FromHours(2));
            figures.Add(new(
                "Projection catch-up (async daemon), events/s", Rate(catchUp.EventsPerSecond), "≥ 20,000",
                catchUp.EventsPerSecond >= 20_000));
            figures.Add(new("Catch-up: loading events / applying and committing them, s", Seconds(catchUp), "", null));
            Say($"Caught up {catchUp.Events:N0} events in {catchUp.Elapsed.TotalSeconds:F1} s");
            for (var round = 2; round <= options.CatchUpRounds; round++)
            {
                // The same catch-up again from nothing, in the same process: the daemon's code is no longer cold.
                await CatchUp.ResetAsync(loader.Store);
                var again = await CatchUp.MeasureAsync(loader.Store, connection, TimeSpan.FromHours(2));
                figures.Add(new(
                    $"Projection catch-up, round {round} from nothing in the same process, events/s",
                    Rate(again.EventsPerSecond), "", null));
                figures.Add(new($"Round {round}: loading events / applying and committing them, s", Seconds(again),
                    "", null));
                Say($"Round {round}: caught up again in {again.Elapsed.TotalSeconds:F1} s");
            }

            // The projection's tables, new since: statistics for the planner before the timed requests.
            await DatabaseSizes.VacuumAnalyzeAsync(connection);
            figures.AddRange(await DatabaseSizes.MeasureAsync(connection));
            Say("Starting the service");
            await using var service = ServiceUnderTest.Start(connection);
            await service.WaitUntilHealthyAsync(TimeSpan.FromMinutes(5));

            // 3. Queries and worklists, sequential, after warm-up.
            var analyst = service.Client(["analyst"], ["OHID"]);
            var areas = SyntheticJourneys.Areas;
            var provider = service.Client(["provider"], [areas[0].Provider]);
            var prison = service.Client(["prison"], [areas[0].Prison]);
            var (yearFrom, yearTo) = (previousYear, previousYear.PlusYears(1).PlusDays(-1));
            var (all, allTo) = (Iso(previousYear), Iso(today));
            var year = $"from={Iso(yearFrom)}&to={Iso(yearTo)}";
            var queries = new (string Name, HttpClient Client, string Path, double? TargetMs)[]
            {
                ("Continuity, financial year by=prison", analyst, $"/api/v1/continuity?{year}&by=prison", 50),
                ("Continuity by=month", analyst, $"/api/v1/continuity?from={all}&to={allTo}&by=month", null),
                ("Continuity two-way by=prison,month", analyst,
                    $"/api/v1/continuity?from={all}&to={allTo}&by=prison,month", null),
                ("Continuity, financial year as of its last day", analyst,
                    $"/api/v1/continuity?{year}&by=financialYear&asOf={Iso(yearTo)}", null),
                ("Time to pickup", analyst, $"/api/v1/continuity/time-to-pickup?from={all}&to={allTo}", null),
                ("Retention", analyst, $"/api/v1/retention?from={all}&to={allTo}", null),
                ("Lapse reasons", analyst, $"/api/v1/continuity/lapse-reasons?from={all}&to={allTo}", null),
                ("Worklist: provider inbox, page 1 of 20", provider,
                    $"/api/v1/providers/{areas[0].Provider}/handovers?page=1&pageSize=20", 50),
                ("Worklist: releases due, page 1 of 20", prison,
                    $"/api/v1/prisons/{areas[0].Prison}/releases-due?page=1&pageSize=20", 50),
                ("Worklist: provider's lapsed, reason needed, page 1 of 20", provider,
                    $"/api/v1/providers/{areas[0].Provider}/lapsed-reason-needed?page=1&pageSize=20", 50),
                ("Worklist: prison's lapsed, reason needed, page 1 of 20", prison,
                    $"/api/v1/prisons/{areas[0].Prison}/lapsed-reason-needed?page=1&pageSize=20", 50),
            };
            Say($"Timing {queries.Length} queries, {options.Requests} sequential requests each after warm-up...");
            foreach (var (name, client, path, target) in queries)
            {
                var latency = await Latency.MeasureAsync(client, path, options.Requests);
                figures.Add(new(
                    $"{name}: p50 / p95 / max ms",
                    $"{latency.P50:F1} / {latency.P95:F1} / {latency.Max:F1}",
                    target is { } ms ? $"p95 < {ms} ms" : "",
                    target is { } limit ? latency.P95 < limit : null));
            }

            // 4. Ingest: the same transactions through HTTP and through plain Marten, warmed up first (the
            // service's write path is first run here, while plain Marten's was warmed by the load), then measured
            // in rounds of alternating order so that neither gains from going second.
            Say($"Ingest: {options.IngestWarmUp:N0} journeys each way to warm up, then {options.IngestJourneys:N0} " +
                $"measured, x (open, release, pickup), {options.Clients} concurrent clients...");
            var ingester = service.Client(["prison", "provider"], [areas[0].Prison, areas[0].Provider]);
            var ingest = await Ingest.CompareAsync(ingester, loader.Store, options, today, Say);
            if (options.IngestWarmUp > 0)
            {
                // The service's write path is cold here; plain Marten's was already warmed by the load.
                var cold = $"first round ({Math.Min(Ingest.Round, options.IngestWarmUp).ToString("N0", Invariant)} " +
                    "journeys), HTTP cold";
                figures.Add(new($"Ingest through HTTP, {cold}, events/s", Rate(ingest.ColdHttp), "", null));
                figures.Add(new($"Ingest through plain Marten, {cold}, events/s", Rate(ingest.ColdPlain), "", null));
                figures.Add(new(
                    $"HTTP ingest / plain Marten, {cold}", Ratio(ingest.ColdHttp / ingest.ColdPlain), "", null));
            }

            var measured = options.IngestWarmUp > 0
                ? $"after {options.IngestWarmUp.ToString("N0", Invariant)} journeys each way of warm-up"
                : "with no warm-up";
            figures.Add(new($"Ingest through HTTP, {measured}, events/s", Rate(ingest.Http), "", null));
            figures.Add(new($"Ingest through plain Marten (3 sessions a journey), {measured}, events/s",
                Rate(ingest.Plain), "", null));
            figures.Add(new($"HTTP ingest / plain Marten, {measured}", Ratio(ingest.Http / ingest.Plain), "≥ 0.6",
                ingest.Http / ingest.Plain >= 0.6));

            Print(options, load, figures, cluster is not null);
            return 0;
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    private static void Print(ScaleOptions options, LoadResult load, List<Figure> figures, bool throwaway)
    {
        var database = throwaway
            ? $"throwaway PostgreSQL, {(options.NoSync ? "fsync off" : "fsync on")}"
            : "given PostgreSQL (--connection)";
        Console.WriteLine();
        Console.WriteLine(
            $"N = {load.Journeys:N0} journeys ({load.Events:N0} events, seed {options.Seed}), " +
            $"{Environment.ProcessorCount} cores, {database}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC;");
        Console.WriteLine(
            $"latencies over {options.Requests} sequential requests each after {Latency.WarmUp} of warm-up");
        Console.WriteLine();
        Console.WriteLine("| Figure | Measured | Target | Met |");
        Console.WriteLine("|---|---:|---|---|");
        foreach (var figure in figures)
        {
            var met = figure.Met switch { true => "met", false => "not met", null => "" };
            Console.WriteLine($"| {figure.Name} | {figure.Value} | {figure.Target} | {met} |");
        }
    }

    private static string Rate(double perSecond) => perSecond.ToString("N0", Invariant);

    private static string Seconds(CatchUp.Result catchUp) =>
        catchUp.Loading.TotalSeconds.ToString("F1", Invariant) + " / "
        + catchUp.Executing.TotalSeconds.ToString("F1", Invariant);

    private static string Ratio(double ratio) => ratio.ToString("F2", Invariant);

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static void Say(string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

    public sealed record Figure(string Name, string Value, string Target, bool? Met);
}

/// <summary>
/// The async daemon catching up the cohort projection over the loaded events, run here with the service's own Marten
/// configuration rather than inside the service: its start is then known, so even a small load is timed from it.
/// </summary>
public static class CatchUp
{
    /// <summary><see cref="Loading"/> and <see cref="Executing"/> are the daemon's own spans, summed.</summary>
    public sealed record Result(long Events, TimeSpan Elapsed, TimeSpan Loading, TimeSpan Executing)
    {
        public double EventsPerSecond => Events / Elapsed.TotalSeconds;
    }

    /// <summary>
    /// From the daemon's start (finding the high-water mark is part of catching up) until Marten's progression table
    /// shows the projection at the highest event sequence, polled every 20 ms.
    /// </summary>
    public static async Task<Result> MeasureAsync(DocumentStore store, string connectionString, TimeSpan limit)
    {
        await using var data = NpgsqlDataSource.Create(connectionString);
        var highWater = await ScalarAsync(data, "select coalesce(max(seq_id), 0) from mt_events");
        // The async projections' own rows: Marten keeps others beside them (HighWaterMark, HighWaterAllocationFence)
        // that reach the last event long before any projection does.
        var shards = ((IDocumentStore)store).Options.Events.Projections()
            .Where(p => p.Lifecycle == JasperFx.Events.Projections.ProjectionLifecycle.Async)
            .SelectMany(p => p.ShardNames()).Select(shard => $"'{shard.Identity}'").ToList();
        var progressOfShards = "select case when count(*) = " + shards.Count + " then min(last_seq_id) else -1 end "
            + $"from mt_event_progression where name in ({string.Join(", ", shards)})";
        // The daemon's spans say where the time went: loading pages, and applying and committing them.
        var (loading, executing) = (new SpanTotal(".page.loading"), new SpanTotal(".page.execution"));
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source == ((JasperFx.Events.IEventStore)store).ActivitySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = span =>
            {
                loading.Add(span);
                executing.Add(span);
            },
        };
        ActivitySource.AddActivityListener(listener);
        var watch = Stopwatch.StartNew();
        using var daemon = await store.BuildProjectionDaemonAsync();
        // As the service's daemon does (ReadAheadService).
        using var readAhead = ReadAhead.Attach(daemon);
        await daemon.StartAllAsync();
        while (watch.Elapsed < limit)
        {
            var progress = await ScalarAsync(data, progressOfShards);
            if (progress >= highWater)
            {
                watch.Stop();
                await daemon.StopAllAsync();
                return new Result(highWater, watch.Elapsed, loading.Total, executing.Total);
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"The cohort projection did not catch up within {limit}");
    }

    /// <summary>
    /// Empties what the projection's teardown empties (ContinuityModule: its rows and cells) and the daemon's
    /// progress, the high-water mark's too, so that the next catch-up starts from nothing as the first did.
    /// </summary>
    public static async Task ResetAsync(DocumentStore store)
    {
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(ReleaseCohortEntry));
        await CohortCellStore.ClearAsync(store);
        await using var session = store.LightweightSession();
        session.QueueSqlCommand(
            $"delete from {store.Options.Events.DatabaseSchemaName}.mt_event_progression where name like ? "
            + "or name like ?",
            nameof(ReleaseCohortProjection) + "%", "HighWater%");
        await session.SaveChangesAsync();
    }

    private sealed class SpanTotal(string suffix)
    {
        private long _ticks;

        public TimeSpan Total => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public void Add(Activity span)
        {
            if (span.OperationName.EndsWith(suffix, StringComparison.Ordinal))
            {
                Interlocked.Add(ref _ticks, span.Duration.Ticks);
            }
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}

/// <summary>Sequential GETs: a warm-up, then the timed requests; every answer must be 200.</summary>
public static class Latency
{
    public const int WarmUp = 10;

    public sealed record Result(double P50, double P95, double Max);

    public static async Task<Result> MeasureAsync(HttpClient client, string path, int requests)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            await GetAsync(client, path);
        }

        var times = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            var watch = Stopwatch.StartNew();
            await GetAsync(client, path);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return new Result(Percentile(times, 0.50), Percentile(times, 0.95), times[^1]);
    }

    /// <summary>Nearest rank: the smallest time at least that share of requests took no longer than.</summary>
    public static double Percentile(double[] sorted, double share) =>
        sorted[Math.Max(0, (int)Math.Ceiling(share * sorted.Length) - 1)];

    private static async Task GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

/// <summary>
/// The same work two ways, each journey a new stream with three transactions (open, release, pickup): through the
/// service's HTTP API (idempotency, access, audit, the rules, the window-close message, the inline projection), and
/// as plain Marten appends with the same inline projection and nothing else.
/// </summary>
public static class Ingest
{
    private static int _run;

    /// <summary>Journeys each way in a round of the warm-up.</summary>
    public const int Round = 1_000;

    /// <summary>Events/s each way: the first round (cold) and, after the warm-up, the measured rounds.</summary>
    public sealed record Comparison(double ColdHttp, double ColdPlain, double Http, double Plain);

    /// <summary>
    /// Warms both paths up with <see cref="ScaleOptions.IngestWarmUp"/> journeys each, in rounds of 1,000, then
    /// measures <see cref="ScaleOptions.IngestJourneys"/> each in two rounds, HTTP first then plain Marten first.
    /// </summary>
    public static async Task<Comparison> CompareAsync(
        HttpClient client, DocumentStore store, ScaleOptions options, LocalDate today, Action<string> say)
    {
        Task<double> Http(int journeys) => ThroughHttpAsync(client, journeys, options.Clients, today);
        Task<double> Plain(int journeys) => ThroughMartenAsync(store, journeys, options.Clients, today);

        var (coldHttp, coldPlain) = (0.0, 0.0);
        for (var done = 0; done < options.IngestWarmUp; done += Round)
        {
            var journeys = Math.Min(Round, options.IngestWarmUp - done);
            var (http, plain) = (await Http(journeys), await Plain(journeys));
            if (done == 0)
            {
                (coldHttp, coldPlain) = (http, plain);
            }

            say($"  warm-up, {done + journeys:N0} journeys each way: HTTP {http:N0} events/s, plain {plain:N0}");
        }

        var (first, second) = (options.IngestJourneys / 2, options.IngestJourneys - options.IngestJourneys / 2);
        var httpFirst = await Http(first);
        var plainFirst = await Plain(first);
        var plainSecond = await Plain(second);
        var httpSecond = await Http(second);
        say($"  measured: HTTP {httpFirst:N0} then {httpSecond:N0} events/s, plain {plainFirst:N0} then " +
            $"{plainSecond:N0}; ratios {httpFirst / plainFirst:F2} and {httpSecond / plainSecond:F2}");
        // Two rates combine as all the events over all the time (the halves differ by a journey when K is odd).
        double Combined(double a, double b) => options.IngestJourneys / (first / a + second / b);
        return new Comparison(
            coldHttp, coldPlain, Combined(httpFirst, httpSecond), Combined(plainFirst, plainSecond));
    }

    public static async Task<double> ThroughHttpAsync(HttpClient client, int journeys, int clients, LocalDate today)
    {
        var run = Interlocked.Increment(ref _run);
        var (prison, provider) = (SyntheticJourneys.Areas[0].Prison, SyntheticJourneys.Areas[0].Provider);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, journeys),
            new ParallelOptions { MaxDegreeOfParallelism = clients },
            async (i, cancellation) =>
            {
                var opened = await PostAsync(client, "/api/v1/journeys", new
                {
                    journeyRef = $"HTTP-{run}-{i:D7}", personRef = $"P-HTTP-{i:D7}", prisonCode = prison,
                    sex = "male", birthYear = 1985, substanceGroup = "opiate",
                    custodyTreatmentStartedOn = Iso(today.PlusDays(-100)),
                }, cancellation);
                var id = (await opened.Content.ReadFromJsonAsync<JourneyRegistered>(cancellation))!.JourneyId;
                await PostAsync(client, $"/api/v1/journeys/{id}/release", new
                {
                    releasedOn = Iso(today.PlusDays(-3)), releaseType = "licence",
                    destinationLocalAuthority = SyntheticJourneys.Areas[0].LocalAuthority,
                    communityProvider = provider,
                }, cancellation);
                await PostAsync(client, $"/api/v1/journeys/{id}/community-treatment-start", new
                {
                    startedOn = Iso(today.PlusDays(-1)),
                }, cancellation);
            });
        return journeys * 3 / watch.Elapsed.TotalSeconds;
    }

    public static async Task<double> ThroughMartenAsync(
        DocumentStore store, int journeys, int clients, LocalDate today)
    {
        var run = Interlocked.Increment(ref _run);
        var area = SyntheticJourneys.Areas[0];
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, journeys),
            new ParallelOptions { MaxDegreeOfParallelism = clients },
            async (i, cancellation) =>
            {
                var id = Guid.CreateVersion7();
                var opened = new JourneyOpened(
                    $"MARTEN-{run}-{i:D7}", $"P-MARTEN-{i:D7}", area.Prison, Sex.Male, 1985, SubstanceGroup.Opiate,
                    today.PlusDays(-100));
                await using (var session = store.LightweightSession())
                {
                    session.Events.StartStream<Journey>(id, opened);
                    await session.SaveChangesAsync(cancellation);
                }

                await using (var session = store.LightweightSession())
                {
                    session.Events.Append(id, new ReleasedFromCustody(
                        today.PlusDays(-3), ReleaseType.Licence, area.LocalAuthority, area.Provider,
                        null, null, null));
                    await session.SaveChangesAsync(cancellation);
                }

                await using (var session = store.LightweightSession())
                {
                    session.Events.Append(id, new CommunityTreatmentStarted(today.PlusDays(-1)));
                    await session.SaveChangesAsync(cancellation);
                }
            });
        return journeys * 3 / watch.Elapsed.TotalSeconds;
    }

    private static async Task<HttpResponseMessage> PostAsync(
        HttpClient client, string path, object body, CancellationToken cancellation)
    {
        var response = await client.PostAsJsonAsync(path, body, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellation)}");
        }

        return response;
    }

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}

/// <summary>What the load occupies on disk, tables with their indexes and TOAST, for docs/scale.md.</summary>
public static class DatabaseSizes
{
    private static readonly (string Name, string Like)[] Groups =
    [
        ("events (mt_events)", "mt_events"),
        ("streams (mt_streams)", "mt_streams"),
        ("journey documents (mt_doc_journey)", "mt_doc_journey"),
        ("cohort rows (mt_doc_releasecohortentry)", "mt_doc_releasecohortentry"),
        ("cohort cells, changes and pickups (coc_cohort_*)", "coc_cohort_%"),
    ];

    public static async Task VacuumAnalyzeAsync(string connectionString)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var command = source.CreateCommand("vacuum (analyze)");
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<IEnumerable<ScaleRun.Figure>> MeasureAsync(string connectionString)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        var figures = new List<ScaleRun.Figure>();
        foreach (var (name, like) in Groups)
        {
            await using var command = source.CreateCommand(
                "select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint from pg_class c " +
                "join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname = 'public' " +
                "and c.relname like $1");
            command.Parameters.AddWithValue(like);
            figures.Add(new($"Size of {name}, MB", Megabytes((long)(await command.ExecuteScalarAsync())!), "", null));
        }

        await using var database = source.CreateCommand("select pg_database_size(current_database())");
        figures.Add(new("Size of the whole database, MB",
            Megabytes((long)(await database.ExecuteScalarAsync())!), "", null));
        return figures;
    }

    private static string Megabytes(long bytes) =>
        (bytes / 1024.0 / 1024.0).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
