using ContinuityOfCare.Continuity.Cells;
using JasperFx.Events.Projections;
using Marten;
using NpgsqlTypes;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// The continuity module's own Marten pieces: the analysts' cohort projection, its indexed dates and its cells.
/// </summary>
public static class ContinuityModule
{
    public static void AddContinuity(this StoreOptions opts, ContinuitySettings settings)
    {
        var rules = settings.Rules;
        CohortCellStore.AddTables(opts);
        opts.Projections.Add(
            new ReleaseCohortProjection(rules),
            ProjectionLifecycle.Async,
            nameof(ReleaseCohortProjection),
            o =>
            {
                // Each batch costs a load of its journeys' rows and one upsert of its cells, whatever its size, and
                // a batch's journeys share cells: larger batches when far behind (catch-up, rebuild) write fewer
                // rows. At 1,000,000 journeys, 100,000 against 20,000: 14,944 events/s against 9,302 to 11,137;
                // at 100,000 journeys, about 340 MB more memory while far behind (docs/scale.md).
                o.BatchSize = settings.ProjectionBatchSize;
                o.MaximumHopperSize = 2 * settings.ProjectionBatchSize;
                // A rebuild starts the rows and the cells from nothing, together.
                o.DeleteViewTypeOnTeardown<ReleaseCohortEntry>();
                o.DeleteDataInTableOnTeardown(CohortCellStore.Qualified(opts, CohortCellStore.CellsTable));
                o.DeleteDataInTableOnTeardown(CohortCellStore.Qualified(opts, CohortCellStore.ChangesTable));
                o.DeleteDataInTableOnTeardown(CohortCellStore.Qualified(opts, CohortCellStore.PickupsTable));
                o.DeleteDataInTableOnTeardown(CohortCellStore.Qualified(opts, CohortCellStore.RulesTable));
            });
        opts.Schema.For<ReleaseCohortEntry>()
            // The table keeps the numeric revisions it had as a SingleStreamProjection's document, so a database from
            // before the cells starts without a migration Marten cannot make (mt_version from integer to uuid).
            .UseNumericRevisions(true)
            .Duplicate(e => e.ReleasedOn, pgType: "date", dbType: NpgsqlDbType.Date)
            .Duplicate(e => e.EarliestReleasedOn, pgType: "date", dbType: NpgsqlDbType.Date)
            .Duplicate(e => e.LatestReleasedOn, pgType: "date", dbType: NpgsqlDbType.Date);
    }
}
