using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContinuityOfCare.Journeys;

/// <summary>
/// Readiness says degraded while journey documents written by an older version remain: their worklist keys may be
/// missing or stale, so the worklists may leave those journeys out until the Journey projection is rebuilt.
/// </summary>
public sealed class JourneyShapeCheck(IDocumentStore store) : IHealthCheck
{
    /// <summary>What readiness says while older documents remain.</summary>
    public const string RebuildNeeded =
        "written by an older version of the service: the worklists may leave them out until the Journey projection " +
        "is rebuilt (service stopped: projections rebuild -p Journey)";

    /// <summary>Counting stops here.</summary>
    public const int CountLimit = 1_000;

    /// <summary>
    /// A document an older version wrote: no shape, or a lower one. The predicate of a partial index
    /// (JourneysModule), so finding them reads only them, and nothing once the projection is rebuilt.
    /// </summary>
    public static readonly string Older =
        $"(data ->> 'shape') is null or ((data ->> 'shape'))::integer < {Journey.CurrentShape}";

    /// <summary>The statement behind the check: the older documents, counted to one past the limit.</summary>
    public static string Sql(IDocumentStore store) =>
        $"select count(*) from (select 1 from {store.Options.Schema.For<Journey>()} where {Older} " +
        $"limit {CountLimit + 1}) older";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var older = (await session.AdvancedSql.QueryAsync<long>(Sql(store), cancellation)).Single();
        var data = new Dictionary<string, object>
        {
            ["olderDocuments"] = Math.Min(older, CountLimit), ["moreThan"] = older > CountLimit,
        };
        if (older == 0)
        {
            return HealthCheckResult.Healthy("every journey document is current", data);
        }

        data["fix"] = RebuildNeeded;
        var count = older > CountLimit ? $"more than {CountLimit}" : $"{older}";
        return HealthCheckResult.Degraded($"{count} journey documents {RebuildNeeded}", data: data);
    }
}
