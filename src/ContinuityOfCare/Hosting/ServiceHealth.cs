using System.Text.Json;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Continuity.Cells;
using ContinuityOfCare.Journeys;
using JasperFx;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ContinuityOfCare.Hosting;

/// <summary>
/// ASP.NET Core health checks. Liveness says the process answers; readiness (also at /health) says the database
/// answers and how far the analysts' projection is behind the event store. None needs a token or counts against
/// the rate limit: a load balancer's probes must never make the service look dead.
/// </summary>
public static class ServiceHealth
{
    private const string Ready = "ready";

    public static void AddServiceHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddNpgSql(
                provider => provider.GetRequiredService<NpgsqlDataSource>(), name: "database", tags: [Ready],
                timeout: TimeSpan.FromSeconds(5))
            .AddCheck<ProjectionLagCheck>("projections", tags: [Ready], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<JourneyShapeCheck>("journeys", tags: [Ready], timeout: TimeSpan.FromSeconds(5));
    }

    public static void MapServiceHealth(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<ServiceDatabase>();
        var ready = new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResponseWriter = (http, report) => WriteAsync(http, report, database),
        };
        var live = new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (http, report) => WriteAsync(http, report, database),
        };
        foreach (var (path, options) in new[] { ("/health", ready), ("/health/ready", ready), ("/health/live", live) })
        {
            app.MapHealthChecks(path, options)
                .WithMetadata(new HttpMethodMetadata(["GET"]))
                .AllowAnonymous()
                .DisableRateLimiting();
        }
    }

    /// <summary>{status, embeddedDatabase, checks: {name: {status, description, data}}}; 503 when unhealthy.</summary>
    private static Task WriteAsync(HttpContext http, HealthReport report, ServiceDatabase database)
    {
        var status = report.Status switch
        {
            HealthStatus.Healthy => "ok",
            HealthStatus.Degraded => "degraded",
            _ => report.Entries.TryGetValue("database", out var db) && db.Status == HealthStatus.Unhealthy
                ? "database unavailable"
                : "unavailable",
        };
        var checks = report.Entries.ToDictionary(
            e => e.Key,
            e => new
            {
                status = e.Value.Status.ToString().ToLowerInvariant(),
                description = e.Value.Description,
                data = e.Value.Data,
            });
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(
            JsonSerializer.Serialize(new { status, embeddedDatabase = database.IsEmbedded, checks }, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>
/// How many events the async projections have still to process. Marten's own daemon check answers Unhealthy past a
/// lag without saying how far behind; a lag means stale figures, not a service that cannot take writes, so this one
/// reports the figures and answers Degraded.
/// </summary>
public sealed class ProjectionLagCheck(
    IDocumentStore store, IProjectionCoordinator coordinator, ContinuityRules rules) : IHealthCheck
{
    /// <summary>What readiness says when the cohort cells were counted with other rules than the service's.</summary>
    public const string CellsNeedRebuild =
        "counted with other rules (window, retention or exclusions), by another version of the service, or begun " +
        "before an upgrade: the tables are " +
        "computed journey by journey until POST /api/v1/operations/projections/release-cohort/rebuild";

    /// <summary>This process among the service's nodes: its host name and process id.</summary>
    public static readonly string Node = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>Beyond this many events behind, readiness says degraded.</summary>
    public const long DegradedLag = 10_000;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation)
    {
        var progress = await store.Advanced.AllProjectionProgress(token: cancellation);
        var highWaterMark = progress.FirstOrDefault(p => p.ShardName == "HighWaterMark")?.Sequence
            ?? (await store.Advanced.FetchEventStoreStatistics(token: cancellation)).EventSequenceNumber;
        var shards = store.Options.Events.Projections()
            .Where(p => p.Lifecycle == JasperFx.Events.Projections.ProjectionLifecycle.Async)
            .SelectMany(p => p.ShardNames())
            .ToDictionary(
                shard => shard.Identity,
                shard => progress.FirstOrDefault(p => p.ShardName == shard.Identity)?.Sequence ?? 0);
        var lag = shards.Count == 0 ? 0 : Math.Max(0, highWaterMark - shards.Values.Min());
        // Hot/cold: one node at a time holds the daemon's lock and runs the projections; the others stand by.
        var runsHere = coordinator.DaemonForMainDatabase() is { } daemon
            && daemon.CurrentAgents().Any(agent => agent.Status == AgentStatus.Running);
        var data = new Dictionary<string, object>
        {
            ["highWaterMark"] = highWaterMark, ["lag"] = lag, ["runsHere"] = runsHere, ["node"] = Node,
        };
        foreach (var (shard, sequence) in shards)
        {
            data[shard] = sequence;
        }

        await using var session = store.QuerySession();
        var cellsCurrent = await CohortCellStore.AnswerForAsync(session, rules, cancellation);
        data["cohortCells"] = cellsCurrent ? "current" : CellsNeedRebuild;

        var description = $"the analysts' projection is {lag} events behind the event store" +
            (cellsCurrent ? "" : "; its cohort cells need a rebuild");
        return lag > DegradedLag || !cellsCurrent
            ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data);
    }
}
