using JasperFx.Events.Projections;
using Marten;
using NpgsqlTypes;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// The continuity module's own Marten pieces: the analysts' cohort projection and its indexed dates.
/// </summary>
public static class ContinuityModule
{
    public static void AddContinuity(this StoreOptions opts)
    {
        opts.Projections.Add<ReleaseCohortProjection>(ProjectionLifecycle.Async);
        opts.Schema.For<ReleaseCohortEntry>()
            .Duplicate(e => e.ReleasedOn, pgType: "date", dbType: NpgsqlDbType.Date)
            .Duplicate(e => e.EarliestReleasedOn, pgType: "date", dbType: NpgsqlDbType.Date)
            .Duplicate(e => e.LatestReleasedOn, pgType: "date", dbType: NpgsqlDbType.Date);
    }
}
