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
                operations.Delete<ReleaseCohortEntry>(stream.Key);
            }
            else
            {
                operations.Store(row);
            }
        }

        await CohortCellStore.QueueAsync(operations, deltas, rules, cancellation);
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
