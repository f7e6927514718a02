using System.Diagnostics;
using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ContinuityOfCare.Operations;

public sealed record ProjectionRebuilt(string Projection, double Seconds);

public static class RebuildEndpoint
{
    /// <summary>The projections an operator may rebuild from the event store, by their API names.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Projections = new Dictionary<string, Type>
    {
        ["release-cohort"] = typeof(ReleaseCohortProjection),
    };

    /// <summary>
    /// Rebuilds an asynchronous projection from every recorded event (after a change to its code, or to recover). The
    /// analyst tables read it, so they show fewer journeys until the rebuild finishes; the journey stays correct.
    /// </summary>
    [WolverinePost(
        "/api/v1/operations/projections/{projection}/rebuild",
        Summary = "Rebuild a projection from the events (operators)")]
    [ProducesResponseType<ProjectionRebuilt>(200)]
    [Authorize(Policy = Roles.Operator)]
    public static async Task<IResult> Post(
        string projection, IProjectionCoordinator coordinator, IDocumentStore store, CancellationToken cancellation)
    {
        if (!Projections.TryGetValue(projection, out var type))
        {
            return Problems.Invalid("projection", $"must be one of {string.Join(", ", Projections.Keys)}");
        }

        var watch = Stopwatch.StartNew();
        var daemon = coordinator.DaemonForMainDatabase();
        await daemon.RebuildProjectionAsync(type, TimeSpan.FromMinutes(10), cancellation);
        // The daemon's rebuild leaves the projection stopped: without this, new events waited for a restart.
        foreach (var shard in store.Options.Events.Projections()
                     .Where(p => p.Name == type.Name)
                     .SelectMany(p => p.ShardNames()))
        {
            await daemon.StartAgentAsync(shard.Identity, cancellation);
        }

        return Results.Ok(new ProjectionRebuilt(projection, watch.Elapsed.TotalSeconds));
    }
}
