using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Organisations;
using Marten;
using NodaTime;

namespace ContinuityOfCare.Worklists;

/// <summary>Which of a provider's handovers to show.</summary>
public enum InboxFilter
{
    All,
    Live,
    ClosingSoon,
    NotReleased,
    Lapsed,
}

/// <summary>
/// How many handovers each filter shows, with the same journey reference, each counted up to
/// <see cref="WorklistPage.CountLimit"/>: <see cref="MoreThan"/> names the filters that show more than their count.
/// </summary>
public sealed record InboxCounts(
    int All, int Live, int ClosingSoon, int NotReleased, int Lapsed, IReadOnlyList<InboxFilter>? MoreThan = null)
{
    public IReadOnlyList<InboxFilter> MoreThan { get; init; } = MoreThan ?? [];

    public int Of(InboxFilter filter) => filter switch
    {
        InboxFilter.Live => Live,
        InboxFilter.ClosingSoon => ClosingSoon,
        InboxFilter.NotReleased => NotReleased,
        InboxFilter.Lapsed => Lapsed,
        _ => All,
    };

    public bool IsMoreThan(InboxFilter filter) => MoreThan.Contains(filter);

    // A record compares a list by reference: the counts are equal when their figures and filters are.
    public bool Equals(InboxCounts? other) =>
        other is not null && (All, Live, ClosingSoon, NotReleased, Lapsed)
        == (other.All, other.Live, other.ClosingSoon, other.NotReleased, other.Lapsed)
        && MoreThan.SequenceEqual(other.MoreThan);

    public override int GetHashCode() => HashCode.Combine(All, Live, ClosingSoon, NotReleased, Lapsed, MoreThan.Count);
}

/// <summary>
/// A provider's handovers asked for: a filter, part of a journey reference (any case), and which of them in the
/// inbox's order (all when <see cref="Page"/> is null).
/// </summary>
public sealed record InboxQuery(
    InboxFilter Filter = InboxFilter.All, string? JourneyRef = null, WorklistPage? Page = null)
{
    public WorklistPage Page { get; init; } = Page ?? WorklistPage.All;
}

/// <summary>
/// The inbox in the database: each filter is a range of release dates on the journeys' (inbox_of, released_on,
/// release_due_on) index, in the inbox's order, so a page and its counts cost the same however many journeys there
/// are. Days left stay a read-time figure: only dates are stored.
/// </summary>
public static class HandoverInboxQuery
{
    /// <summary>Windows closing within this many days are "closing soon".</summary>
    public const int ClosingSoonDays = 3;

    /// <summary>The closing-soon filter's rule for one handover (the filter itself is a date range, below).</summary>
    public static bool IsClosingSoon(HandoverWorkItem item) =>
        !item.Lapsed && item.DaysLeftInWindow is <= ClosingSoonDays;

    /// <summary>
    /// Released people first, fewest days left first (days left grow with the release date, so that is the release
    /// date's order, lapsed ones first); then those not released, soonest due first, unscheduled ones before them;
    /// then the journey reference, ordinally.
    /// </summary>
    private const string Order = "d.released_on, d.release_due_on NULLS FIRST, d.data ->> 'journeyRef' COLLATE \"C\"";

    /// <summary>
    /// The handovers the query asks for, in the inbox's order, with prison names from <paramref name="names"/> (read
    /// here when not given).
    /// </summary>
    public static async Task<IReadOnlyList<HandoverWorkItem>> ListAsync(
        string provider,
        InboxQuery query,
        IQuerySession session,
        LocalDate today,
        ContinuityRules rules,
        CancellationToken cancellation,
        OrganisationDirectory? names = null)
    {
        if (query.Page.Take == 0)
        {
            return [];
        }

        var journeys = await Journeys(session, provider, query, today, rules.Window).ToListAsync(cancellation);
        return Items(journeys, today, rules, names ?? await OrganisationsEndpoint.CurrentAsync(session, cancellation));
    }

    /// <summary>
    /// The handovers the query asks for and how many each filter shows with its journey reference: one round trip
    /// to the database for the page and its four counts.
    /// </summary>
    public static async Task<(IReadOnlyList<HandoverWorkItem> Items, InboxCounts Counts)> ReadAsync(
        string provider,
        InboxQuery query,
        IQuerySession session,
        LocalDate today,
        ContinuityRules rules,
        OrganisationDirectory names,
        CancellationToken cancellation)
    {
        var (journeys, counted) = await WorklistPage.ReadAsync(
            session,
            query.Page.Take == 0 ? null : Journeys(session, provider, query, today, rules.Window),
            CountedFilters.Select(filter => Shown(session, provider, filter, query.JourneyRef, today, rules.Window)),
            cancellation);
        var more = CountedFilters.Where((_, i) => counted[i].More).ToList();
        // Every handover is live, lapsed or not released: the three sections make all, more when any of them is.
        if (more.Count > 0)
        {
            more.Insert(0, InboxFilter.All);
        }

        var (live, closing, notReleased, lapsed) = (counted[0].Total, counted[1].Total, counted[2].Total,
            counted[3].Total);
        return (Items(journeys, today, rules, names),
            new InboxCounts(live + notReleased + lapsed, live, closing, notReleased, lapsed, more));
    }

    /// <summary>The filters counted, in the order <see cref="InboxCounts"/> lists them.</summary>
    private static readonly InboxFilter[] CountedFilters =
        [InboxFilter.Live, InboxFilter.ClosingSoon, InboxFilter.NotReleased, InboxFilter.Lapsed];

    private static List<HandoverWorkItem> Items(
        IEnumerable<Journey> journeys, LocalDate today, ContinuityRules rules, OrganisationDirectory names) =>
        journeys
            .Select(j => ProviderHandoversEndpoint.Item(j, today, rules) with
            {
                PrisonName = names.NameOf(OrganisationKind.Prison, j.Facts.PrisonCode),
            })
            .ToList();

    /// <summary>The journeys the query asks for, in order: the one SQL statement behind a page.</summary>
    public static IQueryable<Journey> Journeys(
        IQuerySession session, string provider, InboxQuery query, LocalDate today, ContinuityWindow window)
    {
        return query.Page.Of(Shown(session, provider, query.Filter, query.JourneyRef, today, window)
            .OrderBySql(Order));
    }

    /// <summary>The handovers a filter shows, in no order: what its count counts.</summary>
    public static IQueryable<Journey> Shown(
        IQuerySession session,
        string provider,
        InboxFilter filter,
        string? journeyRef,
        LocalDate today,
        ContinuityWindow window)
    {
        // Released before this date, the window has closed: its last day was before today.
        var lapsedBefore = window.OpenForReleasesFrom(today);
        var closingBy = lapsedBefore.PlusDays(ClosingSoonDays);
        var shown = session.Query<Journey>().Where(j => j.InboxOf == provider);
        if (journeyRef is not null)
        {
            shown = shown.Where(j => j.JourneyRef.Contains(journeyRef, StringComparison.OrdinalIgnoreCase));
        }

        return filter switch
        {
            InboxFilter.Live => shown.Where(j => j.ReleasedOn >= lapsedBefore),
            InboxFilter.ClosingSoon => shown.Where(j => j.ReleasedOn >= lapsedBefore && j.ReleasedOn <= closingBy),
            InboxFilter.NotReleased => shown.Where(j => j.ReleasedOn == null),
            InboxFilter.Lapsed => shown.Where(j => j.ReleasedOn < lapsedBefore),
            _ => shown,
        };
    }
}
