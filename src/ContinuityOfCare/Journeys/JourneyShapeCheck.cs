using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContinuityOfCare.Journeys;

/// <summary>
/// Readiness says degraded while journey documents written by an older version remain: their worklist keys are
/// missing or stale, so the worklists leave those journeys out until the Journey projection is rebuilt.
/// </summary>
public sealed class JourneyShapeCheck(IDocumentStore store) : IHealthCheck
{
    /// <summary>What readiness says while older documents remain.</summary>
    public const string RebuildNeeded =
        "written by an older version of the service: the worklists leave them out until the Journey projection is " +
        "rebuilt (service stopped: projections rebuild -p Journey)";

    /// <summary>Counting stops here: the index finds the first ones at once, however many journeys exist.</summary>
    public const int CountLimit = 1_000;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation)
    {
        var table = store.Options.Schema.For<Journey>();
        var shape = "cast(data ->> 'shape' as integer)";
        await using var session = store.QuerySession();
        var older = (await session.AdvancedSql.QueryAsync<long>(
            $"select count(*) from (select 1 from {table} where {shape} is null or {shape} < ? " +
            $"limit {CountLimit + 1}) older", cancellation, Journey.CurrentShape)).Single();
        if (older == 0)
        {
            return HealthCheckResult.Healthy(
                "every journey document is current", new Dictionary<string, object> { ["olderDocuments"] = 0 });
        }

        var count = older > CountLimit ? $"more than {CountLimit:N0}" : $"{older:N0}";
        return HealthCheckResult.Degraded(
            $"{count} journey documents {RebuildNeeded}",
            data: new Dictionary<string, object> { ["olderDocuments"] = count, ["fix"] = RebuildNeeded });
    }
}
