using ContinuityOfCare.Journeys;
using Marten;
using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// The released journeys an analyst query covers, as they stand now or as they were known at the end of a date.
/// </summary>
public static class CohortReader
{
    /// <summary>Journeys whose release date is in [from, to], from the cohort projection.</summary>
    public static async Task<IReadOnlyList<JourneyFacts>> CurrentAsync(
        IQuerySession session, LocalDate from, LocalDate to, CancellationToken cancellation)
    {
        var rows = await session.Query<ReleaseCohortEntry>()
            .Where(e => e.ReleasedOn >= from && e.ReleasedOn <= to)
            .Select(e => e.Facts)
            .ToListAsync(cancellation);
        return rows.ToList();
    }

    /// <summary>
    /// The same, as known at the end of <paramref name="asOf"/> (Europe/London): each candidate journey's events
    /// recorded before then, folded again. Later events (a backdated pickup, a correction) are left out, so a figure
    /// published that day can be reproduced exactly.
    /// </summary>
    public static async Task<IReadOnlyList<JourneyFacts>> AsOfAsync(
        IQuerySession session, LocalDate from, LocalDate to, LocalDate asOf, CancellationToken cancellation)
    {
        var candidates = await session.Query<ReleaseCohortEntry>()
            .Where(e => e.EarliestReleasedOn <= to && e.LatestReleasedOn >= from)
            .Select(e => e.Id)
            .ToListAsync(cancellation);
        if (candidates.Count == 0)
        {
            return [];
        }

        var cutoff = LondonCalendar.EndOf(asOf).ToDateTimeOffset();
        var ids = candidates.ToArray();
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(ids) && e.Timestamp < cutoff)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellation);

        return events
            .GroupBy(e => e.StreamId)
            .Select(stream => stream.Aggregate((JourneyFacts?)null, (facts, e) => JourneyFacts.Fold(facts, e.Data)))
            .Where(f => f?.Release is { } r && r.ReleasedOn >= from && r.ReleasedOn <= to)
            .Select(f => f!)
            .ToList();
    }
}
