using System.Net;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Organisations;
using ContinuityOfCare.Tests.Support;
using ContinuityOfCare.Worklists;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NodaTime;
using Xunit.Abstractions;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// Releases due and the lapsed lists filtered, counted and paged by the database: the pages put together are the
/// whole list, the lapsed lists agree with the rules' own <see cref="RecordLapseReasonEndpoint.ReasonNeeded"/> under
/// several rule sets and dates, and each page is planned on its index.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WorklistPagingTests(PostgresCluster postgres, ITestOutputHelper output) : ServiceTests(postgres)
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    [Fact]
    public async Task Pages_of_releases_due_put_together_are_the_whole_list_in_its_order()
    {
        foreach (var (journeyRef, releaseOn) in new[]
                 {
                     ("LEI-a", "2026-11-30"), ("LEI-B", "2026-11-30"), ("LEI-c", "2026-11-24"),
                     ("LEI-D", "2026-12-05"), ("LEI-e", "2026-12-01"),
                 })
        {
            var id = await Api.OpenAsync(JourneyApi.Registration(journeyRef));
            await Api.RecordAsync(id, "release-schedule", new { releaseOn });
        }

        const string Due = "/api/v1/prisons/LEI/releases-due";
        var whole = await Api.GetAsync<ReleasesDue>(Due);
        Assert.Equal(["LEI-c", "LEI-B", "LEI-a", "LEI-e", "LEI-D"], whole.Releases.Select(r => r.JourneyRef));
        Assert.Equal((5, 1, (int?)null), (whole.Total, whole.Page, whole.PageSize));

        var pages = new List<ReleasesDue>();
        for (var page = 1; page <= 3; page++)
        {
            pages.Add(await Api.GetAsync<ReleasesDue>($"{Due}?page={page}&pageSize=2"));
        }

        Assert.Equal([2, 2, 1], pages.Select(p => p.Releases.Count));
        Assert.Equal(whole.Releases, pages.SelectMany(p => p.Releases));
        Assert.All(pages, p => Assert.Equal((5, (int?)2), (p.Total, p.PageSize)));
        Assert.Equal([1, 2, 3], pages.Select(p => p.Page));

        var narrow = await Api.GetAsync<ReleasesDue>($"{Due}?days=3&page=1");
        Assert.Equal((1, (int?)WorklistPage.DefaultSize), (narrow.Total, narrow.PageSize));
        Assert.Empty((await Api.GetAsync<ReleasesDue>($"{Due}?page=4&pageSize=2")).Releases);
    }

    [Theory]
    [InlineData("/api/v1/prisons/LEI/releases-due?page=0", "page")]
    [InlineData("/api/v1/prisons/LEI/releases-due?pageSize=101", "pageSize")]
    [InlineData("/api/v1/prisons/LEI/releases-due?days=x&page=x", "days")]
    [InlineData("/api/v1/prisons/LEI/releases-due?days=x&page=x", "page")]
    [InlineData("/api/v1/prisons/LEI/lapsed-reason-needed?page=two", "page")]
    [InlineData("/api/v1/providers/FORWARD-LEEDS/lapsed-reason-needed?pageSize=0", "pageSize")]
    public async Task Bad_paging_is_refused_naming_the_field(string url, string field)
    {
        await Problem.AssertAsync(await Api.Client.GetAsync(url), HttpStatusCode.BadRequest, field);
    }

    private static readonly ContinuityRules[] RuleSets =
    [
        ContinuityRules.Default,
        new(new ContinuityWindow(28)),
        ContinuityRules.Default with { Exclusions = new ExclusionRules(Died: false, ReturnedToCustody: false) },
        new(new ContinuityWindow(14), Exclusions: new ExclusionRules(false, false, false)),
    ];

    [Fact]
    public async Task The_lapsed_lists_in_the_database_are_the_rules_own_list_under_every_rule_set_and_date()
    {
        var journeys = GeneratedJourneys(1500, seed: 11).ToList();
        await using (var session = Service.Store.LightweightSession())
        {
            session.Store(journeys.ToArray());
            await session.SaveChangesAsync();
        }

        await using var query = Service.Store.QuerySession();
        var (checkedLists, longest) = (0, 0);
        foreach (var rules in RuleSets)
        {
            foreach (var today in new[] { Today.PlusDays(-40), Today, Today.PlusDays(9) })
            {
                foreach (var (organisation, kind) in new[]
                         {
                             ("LEI", OrganisationKind.Prison), ("PROVIDER-3", OrganisationKind.Provider),
                         })
                {
                    var expected = journeys
                        .Where(j => kind == OrganisationKind.Prison
                            ? j.Facts.PrisonCode == organisation
                            : j.Facts.HandedOverTo == organisation)
                        .Where(j => RecordLapseReasonEndpoint.ReasonNeeded(j.Facts, today, rules))
                        .OrderByDescending(j => j.Facts.Release!.ReleasedOn)
                        .ThenBy(j => j.JourneyRef, StringComparer.Ordinal)
                        .Select(j => j.Id)
                        .ToList();

                    var paged = new List<Guid>();
                    LapsedReasonNeeded page;
                    var number = 0;
                    do
                    {
                        var asked = new WorklistPage(number++ * 100, 100);
                        page = await LapsedReasonNeededEndpoint.ListAsync(
                            organisation, kind, asked, query, today, rules, default);
                        Assert.Equal(expected.Count, page.Total);
                        paged.AddRange(page.Journeys.Select(j => j.JourneyId));
                    }
                    while (page.Journeys.Count == 100);

                    Assert.Equal(expected, paged);
                    checkedLists += expected.Count > 0 ? 1 : 0;
                    longest = Math.Max(longest, expected.Count);
                }
            }
        }

        // Every rule set and organisation had journeys to list on at least two of the dates, some over pages.
        Assert.True(checkedLists >= RuleSets.Length * 2 * 2, $"{checkedLists} lists had journeys");
        Assert.True(longest > 100, $"the longest list, {longest}, fits on one page");
    }

    [Fact]
    public async Task A_page_of_each_list_among_thousands_of_journeys_is_read_through_its_index()
    {
        await using (var session = Service.Store.LightweightSession())
        {
            session.Store(GeneratedJourneys(4000, seed: 5).ToArray());
            await session.SaveChangesAsync();
        }

        await using var database = new NpgsqlDataSourceBuilder(Service.ConnectionString).UseNodaTime().Build();
        await using var connection = await database.OpenConnectionAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE mt_doc_journey", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        await using var query = Service.Store.QuerySession();
        var page = new WorklistPage(0, 20);
        var plans = new (string Index, NpgsqlCommand Statement)[]
        {
            (JourneysModule.ReleasesDueIndex, ReleasesDueEndpoint.Journeys(query, "LEI", Today, 14, page).ToCommand()),
            (JourneysModule.PrisonLapsedIndex, LapsedReasonNeededEndpoint.Journeys(
                query, "LEI", OrganisationKind.Prison, Today, ContinuityRules.Default, page).ToCommand()),
            (JourneysModule.ProviderLapsedIndex, LapsedReasonNeededEndpoint.Journeys(
                query, "PROVIDER-3", OrganisationKind.Provider, Today, ContinuityRules.Default, page).ToCommand()),
            // Readiness's check for documents an older version wrote: none here, so its partial index is empty.
            (JourneysModule.ShapeIndex, new NpgsqlCommand(JourneyShapeCheck.Sql(Service.Store))),
        };
        foreach (var (index, command) in plans)
        {
            var plan = await QueryPlan.ExplainAsync(command, connection);
            output.WriteLine($"{index}:\n{string.Join('\n', plan)}");
            Assert.Contains(plan, line => line.Contains(index, StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Counts_stop_at_their_limit_and_say_there_are_more()
    {
        // 1,001 lapsed windows at one prison, stored as documents: one more than a list counts.
        await using (var session = Service.Store.LightweightSession())
        {
            for (var n = 0; n <= WorklistPage.CountLimit; n++)
            {
                var released = Today.PlusDays(-30 - n % 300);
                session.Store(new Journey
                {
                    Id = Guid.NewGuid(), JourneyRef = $"LEI-{n:D5}", PersonRef = $"P-{n}",
                    Facts = new JourneyFacts
                    {
                        PrisonCode = "LEI",
                        Release = new ReleasedFromCustody(
                            released, ReleaseType.Licence, "E08000035", "FORWARD-LEEDS", false, true, false),
                    },
                });
            }

            await session.SaveChangesAsync();
        }

        await using var query = Service.Store.QuerySession();
        var all = query.Query<Journey>().Where(j => j.Facts.PrisonCode == "LEI");
        var batch = query.CreateBatchQuery();
        var (ten, moreThanTheList) = (WorklistPage.CountAsync(batch, all, limit: 10),
            WorklistPage.CountAsync(batch, all, limit: 1001));
        await batch.Execute();
        Assert.Equal(new Counted(10, More: true), await ten);
        Assert.Equal(new Counted(1001, More: false), await moreThanTheList);
        // The database reads one more than the limit, not the whole list.
        Assert.Equal(11, (await WorklistPage.Counting(all, limit: 10).ToListAsync()).Count);
        var statement = WorklistPage.Counting(all, limit: 10).ToCommand().CommandText;
        Assert.Contains("LIMIT", statement, StringComparison.OrdinalIgnoreCase);
        // Why Counting is not Take(n).CountAsync(): Marten counts the whole list.
        Assert.Equal(1001, await all.Take(11).CountAsync());

        var page = await Api.GetAsync<LapsedReasonNeeded>("/api/v1/prisons/LEI/lapsed-reason-needed?pageSize=5");
        Assert.Equal((WorklistPage.CountLimit, true, 5), (page.Total, page.MoreThanTotal, page.Journeys.Count));
        // The pages go on past the count: the list is not cut, only its count.
        var past = await Api.GetAsync<LapsedReasonNeeded>(
            "/api/v1/prisons/LEI/lapsed-reason-needed?page=201&pageSize=5");
        Assert.Single(past.Journeys);
    }

    [Fact]
    public async Task A_database_from_before_the_lapsed_lists_keys_says_so_and_lists_its_journeys_once_rebuilt()
    {
        var id = await Api.OpenAsync(JourneyApi.Registration("LEI-OLD"));
        await Api.ReleaseAsync(id, JourneyApi.Release(Today.PlusDays(-30)));
        var other = await Api.OpenAsync(JourneyApi.Registration("LEI-OTHER"));
        const string List = "/api/v1/prisons/LEI/lapsed-reason-needed";
        Assert.Equal([id], (await Api.GetAsync<LapsedReasonNeeded>(List)).Journeys.Select(j => j.JourneyId));
        Assert.Equal(("healthy", 0), await JourneysReadinessAsync());

        // As a database upgraded from before these keys holds the documents: the column added empty, no key in them.
        await using var database = new NpgsqlDataSourceBuilder(Service.ConnectionString).Build();
        await using (var old = database.CreateCommand(
            "update mt_doc_journey set unexplained_release_on = null, " +
            "data = data - 'unexplainedReleaseOn' - 'daysToExits' - 'shape'"))
        {
            await old.ExecuteNonQueryAsync();
        }

        Assert.Empty((await Api.GetAsync<LapsedReasonNeeded>(List)).Journeys);
        // Readiness says so, with the fix, reading only the older documents (the shape index's own rows). The index
        // serves the check's statement (its predicate is the statement's); on a table of a few rows a scan costs
        // less, so the planner is told not to scan, as it would not over many journeys and an index of few.
        Assert.Equal(("degraded", 2), await JourneysReadinessAsync());
        await using (var connection = await database.OpenConnectionAsync())
        {
            await using (var noScan = new NpgsqlCommand("set enable_seqscan = off", connection))
            {
                await noScan.ExecuteNonQueryAsync();
            }

            await using var check = new NpgsqlCommand(JourneyShapeCheck.Sql(Service.Store));
            var plan = await QueryPlan.ExplainAsync(check, connection);
            output.WriteLine(string.Join('\n', plan));
            Assert.Contains(plan, line => line.Contains(JourneysModule.ShapeIndex, StringComparison.Ordinal));
        }

        // A journey written again since is current (its keys derive from its facts), the others still wait.
        await Api.RecordAsync(other, "release-schedule", new { releaseOn = "2026-11-30" });
        Assert.Equal(("degraded", 1), await JourneysReadinessAsync());

        // The upgrade step (README, "Upgrading"): the Journey projection rebuilt from the events.
        await Service.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase()
            .RebuildProjectionAsync(typeof(JourneyProjection), TimeSpan.FromMinutes(1), default);

        Assert.Equal(("healthy", 0), await JourneysReadinessAsync());
        Assert.Equal([id], (await Api.GetAsync<LapsedReasonNeeded>(List)).Journeys.Select(j => j.JourneyId));
        await Api.RecordAsync(id, "lapse-reason", new { reason = "other", text = "moved" });
        Assert.Empty((await Api.GetAsync<LapsedReasonNeeded>(List)).Journeys);
    }

    /// <summary>The journeys check of readiness: its status and how many documents an older version wrote.</summary>
    private async Task<(string Status, int Older)> JourneysReadinessAsync()
    {
        var check = (await (await Service.CreateClient().GetAsync("/health/ready")).ReadJsonAsync())
            .GetProperty("checks").GetProperty("journeys");
        var status = check.GetProperty("status").GetString()!;
        if (status == "degraded")
        {
            Assert.Contains(JourneyShapeCheck.RebuildNeeded, check.GetProperty("description").GetString());
        }

        Assert.False(check.GetProperty("data").GetProperty("moreThan").GetBoolean());
        return (status, check.GetProperty("data").GetProperty("olderDocuments").GetInt32());
    }

    /// <summary>
    /// Journeys stored as documents (not through events: this is about the queries, not the fold), across prisons
    /// and providers, with every kind of fact the lists depend on: releases before and after each window, pickups
    /// (some dated before the release, which do not count), reasons, declined handovers, and each exit on days -2
    /// to 40 after release.
    /// </summary>
    private static IEnumerable<Journey> GeneratedJourneys(int count, int seed)
    {
        var random = new Random(seed);
        var prisons = new[] { "LEI", "WYI", "HMI" };
        for (var n = 0; n < count; n++)
        {
            var provider = $"PROVIDER-{random.Next(6)}";
            var releasedOn = random.Next(8) == 0 ? (LocalDate?)null : Today.PlusDays(-random.Next(-5, 90));
            var status = (HandoverStatus)random.Next(Enum.GetValues<HandoverStatus>().Length);
            LocalDate? Maybe(int oneIn) => releasedOn is { } r && random.Next(oneIn) == 0
                ? r.PlusDays(random.Next(-2, 41))
                : null;
            var returned = Maybe(8);
            yield return new Journey
            {
                Id = Guid.NewGuid(),
                JourneyRef = $"{(random.Next(2) == 0 ? "J" : "j")}-{n:D5}",
                PersonRef = $"P-{n}",
                Facts = new JourneyFacts
                {
                    PrisonCode = prisons[random.Next(prisons.Length)],
                    Handover = random.Next(6) == 0
                        ? null
                        : HandoverState.To(provider, Today.PlusDays(-100)) with { Status = status },
                    ReleaseScheduledOn = releasedOn is null ? Today.PlusDays(random.Next(0, 30)) : null,
                    Release = releasedOn is { } on
                        ? new ReleasedFromCustody(on, ReleaseType.Licence, "E08000035", provider, false, true, false)
                        : null,
                    CommunityTreatmentStartedOn = Maybe(3),
                    DiedOn = Maybe(10),
                    DeportedOn = Maybe(10),
                    ReturnedToCustody = returned is { } back
                        ? new ContinuityOfCare.Journeys.Exits.ReturnedToCustody(back, default)
                        : null,
                    WhyLapsed = random.Next(5) == 0 ? new LapseExplanation(LapseReason.Other, "x", Today) : null,
                },
            };
        }
    }
}
