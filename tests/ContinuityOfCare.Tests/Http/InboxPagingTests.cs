using System.Net;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Organisations;
using ContinuityOfCare.Tests.Support;
using ContinuityOfCare.Worklists;
using Marten;
using Npgsql;
using NodaTime;
using Xunit.Abstractions;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// The provider's inbox filtered, counted and paged by the database: the same handovers and order as the whole list,
/// each filter's boundary dates, and the page's query planned on the inbox index.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class InboxPagingTests(PostgresCluster postgres, ITestOutputHelper output) : ServiceTests(postgres)
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    private const string Inbox = "/api/v1/providers/FORWARD-LEEDS/handovers";

    private async Task<Guid> ReleasedAsync(string journeyRef, LocalDate releasedOn)
    {
        var id = await Api.OpenAsync(JourneyApi.Registration(journeyRef));
        Assert.Equal(HttpStatusCode.OK, (await Api.ReleaseAsync(id, JourneyApi.Release(releasedOn))).StatusCode);
        return id;
    }

    private async Task<Guid> ReferredAsync(string journeyRef, string? releaseOn)
    {
        var id = await Api.OpenAsync(JourneyApi.Registration(journeyRef));
        if (releaseOn is not null)
        {
            await Api.RecordAsync(id, "release-schedule", new { releaseOn });
        }

        await Api.RecordAsync(id, "referral", new { referredOn = "2026-11-20", provider = "FORWARD-LEEDS" });
        return id;
    }

    [Fact]
    public async Task Each_filter_shows_its_handovers_up_to_its_boundary_dates_and_the_answer_counts_every_filter()
    {
        // The 21-day window's last day is release + 21: released on 2026-11-02, today is the last day.
        var lastDay = await ReleasedAsync("LEI-A-lastday", Today.PlusDays(-21));
        var lapsed = await ReleasedAsync("LEI-B-lapsed", Today.PlusDays(-22));
        var threeLeft = await ReleasedAsync("LEI-C-three", Today.PlusDays(-18));
        var fourLeft = await ReleasedAsync("LEI-D-four", Today.PlusDays(-17));
        var due = await ReferredAsync("LEI-E-due", "2026-12-01");
        var unscheduled = await ReferredAsync("LEI-F-unscheduled", null);

        async Task<HandoverInbox> Get(string query) => await Api.GetAsync<HandoverInbox>($"{Inbox}?{query}");

        var all = await Api.GetAsync<HandoverInbox>(Inbox);
        Assert.Equal([lapsed, lastDay, threeLeft, fourLeft, unscheduled, due], all.Handovers.Select(h => h.JourneyId));
        Assert.Equal((InboxFilter.All, 6, 1, (int?)null), (all.Filter, all.Total, all.Page, all.PageSize));
        Assert.Equal(new InboxCounts(6, 3, 2, 2, 1), all.Counts);

        Assert.Equal([lastDay, threeLeft, fourLeft], (await Get("filter=live")).Handovers.Select(h => h.JourneyId));
        Assert.Equal([lastDay, threeLeft], (await Get("filter=closing-soon")).Handovers.Select(h => h.JourneyId));
        Assert.Equal([unscheduled, due], (await Get("filter=not-released")).Handovers.Select(h => h.JourneyId));
        var lapsedOnly = await Get("filter=lapsed");
        Assert.Equal([lapsed], lapsedOnly.Handovers.Select(h => h.JourneyId));
        Assert.Equal((InboxFilter.Lapsed, 1), (lapsedOnly.Filter, lapsedOnly.Total));

        // Part of a reference, any case; the counts follow it.
        var byRef = await Get("ref=-c-&filter=live");
        Assert.Equal([threeLeft], byRef.Handovers.Select(h => h.JourneyId));
        Assert.Equal(new InboxCounts(1, 1, 1, 0, 0), byRef.Counts);
        Assert.Empty((await Get("ref=LEI-Z")).Handovers);

        // Days left are read-time: tomorrow the last-day handover has lapsed, with nothing recorded.
        Service.SetToday(Today.PlusDays(1));
        var tomorrow = await Get("filter=lapsed");
        Assert.Equal([lapsed, lastDay], tomorrow.Handovers.Select(h => h.JourneyId));
        Assert.Equal(new InboxCounts(6, 2, 2, 2, 2), tomorrow.Counts);
    }

    [Fact]
    public async Task Pages_put_together_are_the_whole_inbox_in_its_order()
    {
        // Same release dates tie on the journey reference, ordinally ("B" before "a", unlike a language's collation).
        await ReleasedAsync("LEI-a", Today.PlusDays(-5));
        await ReleasedAsync("LEI-B", Today.PlusDays(-5));
        await ReleasedAsync("LEI-c", Today.PlusDays(-30));
        await ReleasedAsync("LEI-D", Today.PlusDays(-2));
        await ReferredAsync("LEI-e", "2026-12-03");
        await ReferredAsync("LEI-F", "2026-12-02");
        await ReferredAsync("LEI-g", null);

        var whole = (await Api.GetAsync<HandoverInbox>(Inbox)).Handovers.Select(h => h.JourneyRef).ToList();
        Assert.Equal(["LEI-c", "LEI-B", "LEI-a", "LEI-D", "LEI-g", "LEI-F", "LEI-e"], whole);

        var pages = new List<HandoverInbox>();
        for (var page = 1; page <= 4; page++)
        {
            pages.Add(await Api.GetAsync<HandoverInbox>($"{Inbox}?page={page}&pageSize=3"));
        }

        Assert.Equal([3, 3, 1, 0], pages.Select(p => p.Handovers.Count));
        Assert.Equal(whole, pages.SelectMany(p => p.Handovers).Select(h => h.JourneyRef));
        Assert.All(pages, p => Assert.Equal((7, 3), (p.Total, p.PageSize)));
        Assert.Equal([1, 2, 3, 4], pages.Select(p => p.Page));

        // A page alone takes the default size; a size alone is the first page.
        var second = await Api.GetAsync<HandoverInbox>($"{Inbox}?page=2");
        Assert.Equal(
            (2, (int?)WorklistPage.DefaultSize, 0),
            (second.Page, second.PageSize, second.Handovers.Count));
        var first = await Api.GetAsync<HandoverInbox>($"{Inbox}?pageSize=2&filter=not-released");
        Assert.Equal(["LEI-g", "LEI-F"], first.Handovers.Select(h => h.JourneyRef));
        Assert.Equal((1, 3), (first.Page, first.Total));
    }

    [Fact]
    public async Task Releases_due_leave_out_closed_journeys_and_tie_on_the_journey_reference_ordinally()
    {
        async Task<Guid> Scheduled(string journeyRef)
        {
            var id = await Api.OpenAsync(JourneyApi.Registration(journeyRef));
            await Api.RecordAsync(id, "release-schedule", new { releaseOn = "2026-11-30" });
            return id;
        }

        var lower = await Scheduled("LEI-a");
        var upper = await Scheduled("LEI-B");
        var died = await Scheduled("LEI-0");
        await Api.RecordAsync(died, "death", new { diedOn = "2026-11-22" });

        var due = await Api.GetAsync<ReleasesDue>("/api/v1/prisons/LEI/releases-due");

        Assert.Equal([upper, lower], due.Releases.Select(r => r.JourneyId));
    }

    [Theory]
    [InlineData("filter=soon", "filter")]
    [InlineData("filter=", "filter")]
    [InlineData("filter=Live", "filter")]
    [InlineData("ref=", "ref")]
    [InlineData("ref=%20LEI", "ref")]
    [InlineData("page=0", "page")]
    [InlineData("page=two", "page")]
    [InlineData("page=100001", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=1&pageSize=-1", "pageSize")]
    public async Task Bad_paging_or_filters_are_refused_naming_the_field(string query, string field)
    {
        await Problem.AssertAsync(await Api.Client.GetAsync($"{Inbox}?{query}"), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_page_of_an_inbox_among_thousands_of_journeys_is_read_through_the_inbox_index()
    {
        // Documents stored directly (not through events): this is about the plan, not the fold.
        await using (var session = Service.Store.LightweightSession())
        {
            for (var n = 0; n < 4000; n++)
            {
                var released = n % 4 == 0 ? (LocalDate?)null : Today.PlusDays(-(n % 60));
                var facts = new JourneyFacts
                {
                    PrisonCode = "LEI",
                    Handover = HandoverState.To($"PROVIDER-{n % 40}", new LocalDate(2026, 9, 1)),
                    ReleaseScheduledOn = released is null ? Today.PlusDays(n % 30) : null,
                    Release = released is { } r
                        ? new ReleasedFromCustody(
                            r, ReleaseType.Licence, "E08000035", $"PROVIDER-{n % 40}", false, true, false)
                        : null,
                    CommunityTreatmentStartedOn = n % 7 == 0 && released is { } s ? s.PlusDays(1) : null,
                };
                session.Store(new Journey
                {
                    Id = Guid.NewGuid(), JourneyRef = $"LEI-{n:D6}", PersonRef = $"P-{n}", Facts = facts,
                });
            }

            await session.SaveChangesAsync();
        }

        await using var database = new NpgsqlDataSourceBuilder(Service.ConnectionString).UseNodaTime().Build();
        await using var connection = await database.OpenConnectionAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE mt_doc_journey", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        await using (var indexes = new NpgsqlCommand(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'mt_doc_journey'", connection))
        await using (var reader = await indexes.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                output.WriteLine(reader.GetString(0));
            }
        }

        await using var query = Service.Store.QuerySession();
        foreach (var filter in Enum.GetValues<InboxFilter>())
        {
            var firstPage = new InboxQuery(filter, Page: new WorklistPage(Take: 20));
            var plan = await QueryPlan.ExplainAsync(
                HandoverInboxQuery.Journeys(query, "PROVIDER-7", firstPage, Today, ContinuityWindow.Default)
                    .ToCommand(),
                connection);

            output.WriteLine($"{filter}:\n{string.Join('\n', plan)}");
            Assert.Contains(plan, line => line.Contains(JourneysModule.InboxIndex, StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
        }

        // Each count can read the inbox index alone, not a row of each journey counted. On a few rows a bitmap scan
        // costs less, so the planner is told not to use one; among 100,000 journeys it chose the index alone.
        await using (var noBitmap = new NpgsqlCommand("set enable_bitmapscan = off", connection))
        {
            await noBitmap.ExecuteNonQueryAsync();
        }

        // All is not counted: it is the sum of live, not released and lapsed.
        foreach (var filter in Enum.GetValues<InboxFilter>().Where(f => f != InboxFilter.All))
        {
            var count = await QueryPlan.ExplainAsync(
                WorklistPage.Counting(HandoverInboxQuery.Shown(query, "PROVIDER-7", filter, null, Today,
                    ContinuityWindow.Default)).ToCommand(),
                connection);
            output.WriteLine($"{filter}, counted:\n{string.Join('\n', count)}");
            Assert.Contains(count, line => line.Contains($"Index Only Scan using {JourneysModule.InboxIndex}",
                StringComparison.Ordinal));
        }

        // The page agrees with the whole list read the old way: every journey loaded and sorted in memory.
        await using var all = Service.Store.QuerySession();
        var rules = new ContinuityRules(ContinuityWindow.Default);
        var everything = (await all.Query<Journey>().ToListAsync())
            .Where(j => j.Facts.HandedOverTo == "PROVIDER-7" && !j.Facts.IsClosed
                        && j.Facts.CommunityTreatmentStartedOn == null)
            .Select(j => ProviderHandoversEndpoint.Item(j, Today, rules))
            .OrderBy(i => i.ReleasedOn is null)
            .ThenBy(i => i.DaysLeftInWindow)
            .ThenBy(i => i.ReleasedOn ?? i.ReleaseScheduledOn)
            .ThenBy(i => i.JourneyRef, StringComparer.Ordinal)
            .Select(i => i.JourneyId)
            .ToList();
        var paged = new List<Guid>();
        for (var skip = 0; skip < everything.Count + 20; skip += 20)
        {
            var page = await HandoverInboxQuery.ListAsync(
                "PROVIDER-7", new InboxQuery(Page: new WorklistPage(skip, 20)), all, Today, rules, default);
            paged.AddRange(page.Select(i => i.JourneyId));
        }

        Assert.True(everything.Count > 50);
        Assert.Equal(everything, paged);

        // The API's page and its four counts go to the database together: one round trip of five statements.
        await using var batched = Service.Store.QuerySession();
        var trips = new RoundTrips();
        batched.Logger = trips;
        var (items, counts) = await HandoverInboxQuery.ReadAsync(
            "PROVIDER-7", new InboxQuery(Page: new WorklistPage(0, 20)), batched, Today, rules,
            OrganisationDirectory.Shipped, default);
        Assert.Equal((1, 5), (trips.Count, trips.Statements));
        Assert.Equal(everything.Take(20), items.Select(i => i.JourneyId));
        Assert.Equal(everything.Count, counts.All);
    }

    /// <summary>Counts what a session sends to the database: each command or batch is one round trip.</summary>
    private sealed class RoundTrips : IMartenSessionLogger
    {
        public int Count { get; private set; }

        public int Statements { get; private set; }

        public void OnBeforeExecute(NpgsqlCommand command) => (Count, Statements) = (Count + 1, Statements + 1);

        public void OnBeforeExecute(NpgsqlBatch batch) =>
            (Count, Statements) = (Count + 1, Statements + batch.BatchCommands.Count);

        public void LogSuccess(NpgsqlCommand command)
        {
        }

        public void LogFailure(NpgsqlCommand command, Exception ex)
        {
        }

        public void LogSuccess(NpgsqlBatch batch)
        {
        }

        public void LogFailure(NpgsqlBatch batch, Exception ex)
        {
        }

        public void LogFailure(Exception ex, string message)
        {
        }

        public void RecordSavedChanges(IDocumentSession session, Marten.Services.IChangeSet commit)
        {
        }
    }
}
