using ContinuityOfCare.Journeys;
using JasperFx.Events;
using ContinuityOfCare.Continuity.Cells;
using Marten;
using Marten.Events.Projections;
using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// One row per journey with the facts the analyst figures are computed from, folded by the same
/// <see cref="JourneyFacts.Evolve"/> as the journey itself. Holds no journey or person reference. Outcomes are not
/// stored: they depend on "today", so they are derived from the dates when asked, and pending turns into not engaged
/// as days pass without any new event.
/// </summary>
public sealed class ReleaseCohortEntry
{
    public Guid Id { get; set; }

    public JourneyFacts Facts { get; set; } = new();

    /// <summary>The current release date, in its own indexed column for period queries; null until released.</summary>
    public LocalDate? ReleasedOn { get; set; }

    /// <summary>
    /// Every release date ever recorded (corrections included) lies in [Earliest, Latest]: "as of" replays look there.
    /// </summary>
    public LocalDate? EarliestReleasedOn { get; set; }

    public LocalDate? LatestReleasedOn { get; set; }
}

/// <summary>
/// Keeps the cohort rows and the cohort cells (<see cref="CohortCells"/>) together, in the async daemon's batches,
/// so heavy analyst reads never slow down the prison and provider writes. A cell changes by a journey's new
/// contribution less its old one, so the projection reads each journey's row before folding its new events. Written
/// by hand rather than as a SingleStreamProjection: Marten's aggregations do not give the state before an event.
/// </summary>
public sealed class ReleaseCohortProjection(ContinuityRules rules) : IProjection
{
    public async Task ApplyAsync(
        IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var streams = events.GroupBy(e => e.StreamId).ToList();
        var rows = (await operations.LoadManyAsync<ReleaseCohortEntry>(cancellation, streams.Select(s => s.Key)))
            .ToDictionary(r => r.Id);
        var deltas = new CellDeltas();
        var (written, gone) = (new List<ReleaseCohortEntry>(streams.Count), new List<Guid>());
        foreach (var stream in streams)
        {
            var row = rows.GetValueOrDefault(stream.Key);
            // Folded in order, a change kept under each London date its events were recorded on: a table as of a
            // date sums the changes recorded by that date's end. Within a date the steps between add up to the
            // change from its first fact to its last, so a journey's contribution is worked out once a date.
            var contribution = CohortCells.Contribution(row?.Facts, rules);
            var counted = row?.Facts;
            LocalDate? recordedOn = null;
            foreach (var e in stream)
            {
                var on = LondonCalendar.DateOf(Instant.FromDateTimeOffset(e.Timestamp));
                if (recordedOn is { } previous && previous != on)
                {
                    contribution = Count(deltas, previous, contribution, ref counted, row?.Facts);
                }

                recordedOn = on;
                row = Evolve(row, stream.Key, e);
            }

            if (recordedOn is { } last)
            {
                Count(deltas, last, contribution, ref counted, row?.Facts);
            }

            if (row is null)
            {
                gone.Add(stream.Key);
            }
            else
            {
                written.Add(row);
            }
        }

        QueueRows(operations, written, gone);
        await CohortCellStore.QueueAsync(operations, deltas, rules, cancellation);
    }

    /// <summary>
    /// Writes the batch's rows as Marten would (its serializer, numeric revisions), in one statement as the cells are:
    /// Marten upserts a document per statement, 2.3 s of PostgreSQL's time in a catch-up of 100,000 journeys, which
    /// ran at 16,253 events/s with one statement a batch and 15,180 with Marten's (docs/scale.md).
    /// </summary>
    private static void QueueRows(
        IDocumentOperations operations, List<ReleaseCohortEntry> written, List<Guid> gone)
    {
        var opts = (StoreOptions)operations.DocumentStore.Options;
        var table = ((IReadOnlyStoreOptions)opts).FindOrResolveDocumentType(typeof(ReleaseCohortEntry))
            .TableName.QualifiedName;
        if (written.Count > 0)
        {
            var serializer = opts.Serializer();
            operations.QueueSqlCommand(
                $"insert into {table} as d (id, data, mt_version, mt_dotnet_type, mt_last_modified, released_on, " +
                "earliest_released_on, latest_released_on) " +
                "select r.id, r.data::jsonb, 1, ?, transaction_timestamp(), r.released_on, r.earliest, r.latest " +
                "from unnest(?::uuid[], ?::text[], ?::date[], ?::date[], ?::date[]) " +
                "r (id, data, released_on, earliest, latest) " +
                "on conflict (id) do update set data = excluded.data, mt_version = d.mt_version + 1, " +
                "mt_dotnet_type = excluded.mt_dotnet_type, mt_last_modified = excluded.mt_last_modified, " +
                "released_on = excluded.released_on, earliest_released_on = excluded.earliest_released_on, " +
                "latest_released_on = excluded.latest_released_on",
                typeof(ReleaseCohortEntry).FullName!,
                written.Select(r => r.Id).ToArray(),
                written.Select(r => serializer.ToJson(r)).ToArray(),
                written.Select(r => r.ReleasedOn?.ToDateOnly()).ToArray(),
                written.Select(r => r.EarliestReleasedOn?.ToDateOnly()).ToArray(),
                written.Select(r => r.LatestReleasedOn?.ToDateOnly()).ToArray());
        }

        if (gone.Count > 0)
        {
            operations.QueueSqlCommand($"delete from {table} where id = any(?)", gone.ToArray());
        }
    }

    /// <summary>Records the change from the facts last counted to <paramref name="facts"/>, if they differ.</summary>
    private CellContribution? Count(
        CellDeltas deltas, LocalDate recordedOn, CellContribution? contribution, ref JourneyFacts? counted,
        JourneyFacts? facts)
    {
        if (ReferenceEquals(counted, facts))
        {
            return contribution;
        }

        counted = facts;
        var next = CohortCells.Contribution(facts, rules);
        deltas.Change(recordedOn, contribution, next);
        return next;
    }

    public static ReleaseCohortEntry? Evolve(ReleaseCohortEntry? snapshot, Guid id, IEvent e)
    {
        if (JourneyFacts.Fold(snapshot?.Facts, e.Data) is not { } facts)
        {
            return null;
        }

        snapshot ??= new ReleaseCohortEntry { Id = id };
        snapshot.Facts = facts;
        if (snapshot.Facts.Release?.ReleasedOn is { } released)
        {
            snapshot.ReleasedOn = released;
            snapshot.EarliestReleasedOn = snapshot.EarliestReleasedOn is { } earliest && earliest < released
                ? earliest
                : released;
            snapshot.LatestReleasedOn = snapshot.LatestReleasedOn is { } latest && latest > released
                ? latest
                : released;
        }

        return snapshot;
    }
}
