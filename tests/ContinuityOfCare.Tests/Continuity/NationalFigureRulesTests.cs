using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Organisations;
using NodaTime;

namespace ContinuityOfCare.Tests.Continuity;

/// <summary>
/// The pure rules behind lining up with the national figure: the audit export's rows, our figure for an area, and
/// the comparison with a published figure under disclosure control.
/// </summary>
public class NationalFigureRulesTests
{
    private static readonly LocalDate Released = new(2026, 9, 7);
    private static readonly LocalDate AsOf = new(2026, 11, 23);
    private static readonly ContinuityRules Rules = ContinuityRules.Default;

    private static JourneyFacts Journey(
        string prison = "LEI", string localAuthority = "E08000035", string provider = "FORWARD-LEEDS",
        LocalDate? releasedOn = null, int? pickupDay = null, LocalDate? diedOn = null, LapseReason? why = null) =>
        new()
        {
            PrisonCode = prison,
            Release = new ReleasedFromCustody(
                releasedOn ?? Released, ReleaseType.Licence, localAuthority, provider, false, true, false),
            Handover = HandoverState.To(provider, releasedOn ?? Released),
            CommunityTreatmentStartedOn = pickupDay is { } d ? (releasedOn ?? Released).PlusDays(d) : null,
            DiedOn = diedOn,
            WhyLapsed = why is { } reason ? new LapseExplanation(reason, null, AsOf) : null,
        };

    private static AuditRow Row(JourneyFacts journey, LocalDate? asOf = null) =>
        AuditExport.Row(journey, asOf ?? AsOf, Rules, OrganisationDirectory.Shipped);

    [Theory]
    [InlineData(0, "Engaged", true, true)]
    [InlineData(21, "Engaged", true, true)]
    [InlineData(22, "EngagedLate", false, true)]
    [InlineData(null, "NotEngaged", false, true)]
    public void A_row_has_the_outcome_the_continuity_table_counts_it_under(
        int? pickupDay, string outcome, bool engagedInWindow, bool inRate)
    {
        var row = Row(Journey(pickupDay: pickupDay, why: LapseReason.MovedArea));

        Assert.Equal(Enum.Parse<ReleaseOutcome>(outcome), row.Outcome);
        Assert.Equal((engagedInWindow, inRate), (row.EngagedInWindow, row.InRate));
        Assert.Equal(pickupDay, row.DaysToPickup);
        Assert.Equal(pickupDay is { } d ? Released.PlusDays(d) : null, row.PickedUpOn);
        // The reason a window lapsed belongs to a journey that is not engaged, as the lapse-reasons table counts it.
        Assert.Equal(pickupDay is null ? LapseReason.MovedArea : null, row.LapseReason);
        Assert.Null(row.ExclusionReason);
    }

    [Fact]
    public void Pending_and_excluded_rows_are_out_of_the_rate_and_an_exit_says_which()
    {
        var pending = Row(Journey(releasedOn: AsOf.PlusDays(-3)));
        Assert.Equal(
            (ReleaseOutcome.Pending, false, false), (pending.Outcome, pending.EngagedInWindow, pending.InRate));

        var died = Row(Journey(diedOn: Released.PlusDays(4), pickupDay: 10));
        Assert.Equal((ReleaseOutcome.Excluded, ExclusionReason.Died), (died.Outcome, died.ExclusionReason));
        Assert.False(died.InRate);
        Assert.Equal(Released.PlusDays(10), died.PickedUpOn); // the pickup is shown: the exit before it decides
    }

    [Fact]
    public void A_row_names_the_organisations_and_holds_no_reference_or_person_field()
    {
        var row = Row(Journey());
        Assert.Equal(("LEI", "HMP Leeds"), (row.Prison, row.PrisonName));
        Assert.Equal(
            AuditRow.Columns,
            ["prison", "prisonName", "releasedOn", "localAuthority", "localAuthorityName", "provider", "providerName",
                "pickedUpOn", "daysToPickup", "outcome", "engagedInWindow", "inRate", "exclusionReason",
                "lapseReason"]);
        Assert.Equal(
            AuditRow.Columns,
            typeof(AuditRow).GetProperties().Where(p => !p.GetMethod!.IsStatic)
                .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name)));
        Assert.Equal(AuditRow.Columns, row.Cells().Select(c => c.Item1));
    }

    [Fact]
    public void Filters_keep_the_rows_of_their_prison_local_authority_and_provider_and_rows_are_ordered()
    {
        var cohort = new[]
        {
            Journey("WYI", releasedOn: Released.PlusDays(1)), Journey("LEI", releasedOn: Released.PlusDays(1)),
            Journey("LEI", "E08000036"), Journey("LEI", provider: "CGL"),
        };

        IReadOnlyList<AuditRow> Rows(AuditFilter filter) =>
            AuditExport.Rows(cohort, filter, AsOf, Rules, OrganisationDirectory.Shipped);

        Assert.Equal(
            ["LEI CGL 2026-09-07", "LEI FORWARD-LEEDS 2026-09-07", "LEI FORWARD-LEEDS 2026-09-08",
                "WYI FORWARD-LEEDS 2026-09-08"],
            Rows(new AuditFilter()).Select(r => $"{r.Prison} {r.Provider} {r.ReleasedOn.Iso()}"));
        Assert.Equal(3, Rows(new AuditFilter(Prison: "LEI")).Count);
        Assert.Single(Rows(new AuditFilter(LocalAuthority: "E08000036")));
        Assert.Single(Rows(new AuditFilter(Provider: "CGL")));
        Assert.Empty(Rows(new AuditFilter(Prison: "WYI", Provider: "CGL")));
    }

    [Fact]
    public void Our_figure_counts_releases_pickups_in_the_window_and_what_may_explain_a_difference()
    {
        var journeys = new[]
        {
            Journey(pickupDay: 0), Journey(pickupDay: 0), Journey(pickupDay: 21), Journey(pickupDay: 5),
            Journey(pickupDay: 22), Journey(), Journey(diedOn: Released.PlusDays(2)),
            Journey(releasedOn: AsOf.PlusDays(-1)),
        };

        var ours = OurFigure.Of(journeys.Select(j => j.Continuity!), AsOf, Rules);

        Assert.Equal(
            new OurFigure(8, 4, 6, 4 / 6.0, 1, 1, 1, 1, new ExcludedByReason(1, 0, 0), 2, 1), ours);
    }

    [Theory]
    [InlineData(0, 3, 0)] // a window of one day: its pickups are day 0's, never also its last day's
    [InlineData(1, 3, 1)]
    [InlineData(28, 3, 0)]
    public void Pickups_on_day_0_and_on_the_last_day_follow_the_window(int windowDays, int day0, int lastDay)
    {
        var rules = new ContinuityRules(new ContinuityWindow(windowDays));
        var journeys = new[] { 0, 0, 0, 1 }.Select(d => Journey(pickupDay: d).Continuity!);

        var ours = OurFigure.Of(journeys, AsOf, rules);

        Assert.Equal((day0, lastDay), (ours.PickedUpOnDay0, ours.PickedUpOnLastDay));
    }

    [Theory]
    [InlineData(0.5, 0.4, 10.0)]
    [InlineData(0.4, 0.5, -10.0)]
    [InlineData(2 / 3.0, 0.5, 16.7)]
    [InlineData(0.12345, 0.12, 0.3)]
    [InlineData(0.3, 0.25, 5.0)]
    [InlineData(null, 0.5, null)]
    [InlineData(0.5, null, null)]
    public void Rate_points_are_ours_minus_published_in_percentage_points_to_one_decimal(
        double? ours, double? published, double? points) =>
        Assert.Equal(points, Reconciliation.RatePoints(ours, published));

    [Fact]
    public void A_published_rate_follows_its_counts_and_is_null_without_releases()
    {
        Assert.Equal(0.25, new PublishedFigure(8, 2).Rate);
        Assert.Null(new PublishedFigure(0, 0).Rate);
    }

    /// <summary>Every small figure of ours (up to 6 releases), against a few published ones.</summary>
    public static IEnumerable<(OurFigure Ours, PublishedFigure Published)> SmallFigures()
    {
        foreach (var releases in Enumerable.Range(0, 7))
        {
            foreach (var pickups in Enumerable.Range(0, releases + 1))
            {
                foreach (var pending in Enumerable.Range(0, releases - pickups + 1))
                {
                    var counted = releases - pending;
                    var ours = new OurFigure(
                        releases, pickups, counted, counted == 0 ? null : (double)pickups / counted, 0,
                        counted - pickups, pending, 0, new ExcludedByReason(0, 0, 0), pickups / 2, pickups % 2);
                    foreach (var published in new[] { (0, 0), (3, 1), (releases, pickups), (7, 7) })
                    {
                        yield return (ours, new PublishedFigure(published.Item1, published.Item2));
                    }
                }
            }
        }
    }

    [Fact]
    public void Suppressed_our_figure_differences_and_counts_are_all_hidden_and_the_reasons_do_not_depend_on_ours()
    {
        foreach (var area in Enum.GetValues<AreaKind>())
        {
            foreach (var window in new[] { 0, 21, 28 })
            {
                var reasonLists = new HashSet<string>();
                foreach (var (ours, published) in SmallFigures())
                {
                    var result = Reconciliation.Compare(ours, published, suppressed: true, area, window, AsOf);

                    Assert.True(result.Suppressed);
                    Assert.Null(result.Ours);
                    Assert.Equal(new FigureDifference(null, null, null), result.Difference);
                    Assert.Equal(published, result.Published); // published figures are public already
                    Assert.All(result.Reasons, r => Assert.Null(r.Count));
                    reasonLists.Add(string.Join(",", result.Reasons.Select(r => $"{r.Reason}:{r.Text}")));
                }

                Assert.Single(reasonLists);
            }
        }
    }

    [Fact]
    public void Shown_figures_give_every_difference_and_the_counted_reasons_that_apply()
    {
        foreach (var area in Enum.GetValues<AreaKind>())
        {
            foreach (var window in new[] { 0, 21, 28 })
            {
                foreach (var (ours, published) in SmallFigures())
                {
                    var result = Reconciliation.Compare(ours, published, suppressed: false, area, window, AsOf);

                    Assert.False(result.Suppressed);
                    Assert.Equal(ours, result.Ours);
                    Assert.Equal(
                        new FigureDifference(
                            ours.Releases - published.Releases, ours.Pickups - published.Pickups,
                            Reconciliation.RatePoints(ours.Rate, published.Rate)),
                        result.Difference);
                    var expected = new List<(DifferenceReason, int?)>();
                    void Counted(DifferenceReason reason, int count)
                    {
                        if (count > 0)
                        {
                            expected.Add((reason, count));
                        }
                    }

                    Counted(DifferenceReason.ExcludedExits, ours.Excluded);
                    Counted(DifferenceReason.WindowsStillOpen, ours.Pending);
                    Counted(DifferenceReason.PickedUpOnDay0, ours.PickedUpOnDay0);
                    Counted(DifferenceReason.PickedUpOnLastDay, ours.PickedUpOnLastDay);
                    Counted(DifferenceReason.PickedUpAfterWindow, ours.EngagedLate);
                    if (window != 21)
                    {
                        expected.Add((DifferenceReason.WindowLength, null));
                    }

                    expected.Add((DifferenceReason.AsOfDate, null));
                    expected.Add((DifferenceReason.Cohort, null));
                    expected.Add((area == AreaKind.Prison
                        ? DifferenceReason.ReleasingPrison
                        : DifferenceReason.DestinationLocalAuthority, null));
                    Assert.Equal(expected, result.Reasons.Select(r => (r.Reason, r.Count)));
                    Assert.All(result.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Text)));
                }
            }
        }
    }

    [Fact]
    public void Every_reason_has_words_that_say_what_to_check_where_the_national_rule_is_not_known_here()
    {
        foreach (var reason in Enum.GetValues<DifferenceReason>())
        {
            var text = NationalDefinition.Explain(reason, 28, "2026-11-23");
            Assert.True(text.Length > 40, $"{reason}: {text}");
            Assert.True(text.Length < 400, $"{reason}: {text.Length} characters");
        }

        Assert.Contains("28 days", NationalDefinition.Explain(DifferenceReason.WindowLength, 28, "2026-11-23"));
        Assert.Contains("day 28", NationalDefinition.Explain(DifferenceReason.PickedUpOnLastDay, 28, "2026-11-23"));
        Assert.Contains("2026-11-23", NationalDefinition.Explain(DifferenceReason.AsOfDate, 28, "2026-11-23"));
        Assert.Contains(
            "OHID technical specification", NationalDefinition.Explain(DifferenceReason.ExcludedExits, 21, ""));
    }

    /// <summary>
    /// The reconciliation hides an area's figures exactly when the continuity table by that dimension hides the
    /// area's group: checked against the table's own report, for every 3 areas of 0 to 6 releases.
    /// </summary>
    [Fact]
    public void An_area_is_suppressed_exactly_when_the_table_by_that_dimension_suppresses_it()
    {
        var prisons = new[] { "HUL", "LEI", "WYI" };
        var sizes = Enumerable.Range(0, 7).ToList();
        var checkedAreas = 0;
        foreach (var a in sizes)
        {
            foreach (var b in sizes)
            {
                foreach (var c in sizes)
                {
                    var counts = new[] { a, b, c };
                    var cohort = prisons.Zip(counts)
                        .SelectMany(p => Enumerable.Range(0, p.Second).Select(_ => Journey(p.First, "LA-" + p.First)))
                        .ToList();
                    foreach (var (dimension, kind, prefix) in new[]
                             {
                                 (Dimension.Prison, AreaKind.Prison, ""), (Dimension.LocalAuthority,
                                     AreaKind.LocalAuthority, "LA-"),
                             })
                    {
                        var query = new AnalystQuery(Released, Released, dimension, AsOf, IsToday: true);
                        var table = ContinuityRateEndpoint.Report(query, cohort, Rules);
                        foreach (var prison in prisons)
                        {
                            var code = prefix + prison;
                            var reconciled = ReconciliationEndpoint.Report(
                                query with { By = null }, cohort, kind, code, new PublishedFigure(3, 1), Rules);
                            var group = table.Groups.SingleOrDefault(g => g.Key == code);
                            Assert.Equal(group?.Suppressed ?? false, reconciled.Suppressed);
                            Assert.Equal(reconciled.Suppressed, reconciled.Ours is null);
                            if (!reconciled.Suppressed)
                            {
                                Assert.Equal(group?.Released ?? 0, reconciled.Ours!.Releases);
                                Assert.Equal(group?.Engaged ?? 0, reconciled.Ours.Pickups);
                                Assert.Equal(group?.Rate, reconciled.Ours.Rate);
                            }

                            checkedAreas++;
                        }
                    }
                }
            }
        }

        Assert.Equal(7 * 7 * 7 * 3 * 2, checkedAreas);
    }
}
