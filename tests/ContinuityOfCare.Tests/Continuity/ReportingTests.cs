using ContinuityOfCare.Continuity;
using NodaTime;

namespace ContinuityOfCare.Tests.Continuity;

/// <summary>Periods, age bands and disclosure control: the pure rules behind the analyst tables.</summary>
public class ReportingTests
{
    [Theory]
    [InlineData("2026-01-01", "2026-01", "2026-Q1", "2025-26")]
    [InlineData("2026-03-31", "2026-03", "2026-Q1", "2025-26")]
    [InlineData("2026-04-01", "2026-04", "2026-Q2", "2026-27")]
    [InlineData("2026-06-30", "2026-06", "2026-Q2", "2026-27")]
    [InlineData("2026-07-01", "2026-07", "2026-Q3", "2026-27")]
    [InlineData("2026-12-31", "2026-12", "2026-Q4", "2026-27")]
    [InlineData("2099-04-01", "2099-04", "2099-Q2", "2099-00")]
    public void Each_date_falls_in_its_month_quarter_and_April_to_March_financial_year(
        string date, string month, string quarter, string financialYear)
    {
        var d = NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value;
        Assert.Equal(month, Periods.Key(PeriodKind.Month, d));
        Assert.Equal(quarter, Periods.Key(PeriodKind.Quarter, d));
        Assert.Equal(financialYear, Periods.Key(PeriodKind.FinancialYear, d));
    }

    [Fact]
    public void Every_day_of_a_decade_is_in_the_period_that_starts_on_or_before_it()
    {
        for (var d = new LocalDate(2020, 1, 1); d.Year < 2030; d = d.PlusDays(1))
        {
            foreach (var kind in Enum.GetValues<PeriodKind>())
            {
                var start = Periods.Start(kind, d);
                Assert.True(start <= d && Periods.Key(kind, start) == Periods.Key(kind, d), $"{kind} {d}");
                Assert.NotEqual(Periods.Key(kind, start), Periods.Key(kind, start.PlusDays(-1)));
            }
        }
    }

    [Fact]
    public void Periods_between_two_dates_include_the_partial_ones_at_each_end()
    {
        var from = new LocalDate(2026, 2, 15);
        var to = new LocalDate(2026, 5, 2);
        Assert.Equal(["2026-02", "2026-03", "2026-04", "2026-05"], Periods.KeysBetween(PeriodKind.Month, from, to));
        Assert.Equal(["2026-Q1", "2026-Q2"], Periods.KeysBetween(PeriodKind.Quarter, from, to));
        Assert.Equal(["2025-26", "2026-27"], Periods.KeysBetween(PeriodKind.FinancialYear, from, to));
    }

    [Theory]
    [InlineData(null, "unknown")]
    [InlineData(2009, "under-18")]
    [InlineData(2008, "18-24")]
    [InlineData(2002, "18-24")]
    [InlineData(2001, "25-34")]
    [InlineData(1991, "35-44")]
    [InlineData(1981, "45-54")]
    [InlineData(1971, "55-64")]
    [InlineData(1961, "65-plus")]
    [InlineData(1962, "55-64")]
    public void Age_band_is_release_year_minus_birth_year(int? birthYear, string band) =>
        Assert.Equal(band, AgeBands.Of(birthYear, new LocalDate(2026, 6, 1)));

    [Fact]
    public void Groups_of_one_to_four_releases_are_suppressed_and_empty_ones_are_not()
    {
        var hidden = Disclosure.SuppressedKeys([("a", 0), ("b", 1), ("c", 4), ("d", 5), ("e", 40)], 5);
        Assert.Equal(["b", "c"], hidden.Order());
    }

    [Fact]
    public void A_lone_suppressed_group_takes_the_next_smallest_with_it()
    {
        Assert.Equal(["b", "c"], Disclosure.SuppressedKeys([("a", 40), ("b", 3), ("c", 7), ("d", 7)], 5).Order());
        Assert.Equal(["a"], Disclosure.SuppressedKeys([("a", 3)], 5).Order());
        Assert.Equal(["a", "c"], Disclosure.SuppressedKeys([("a", 3), ("b", 0), ("c", 9)], 5).Order());
        Assert.Empty(Disclosure.SuppressedKeys([("a", 5), ("b", 9)], 5));
    }

    [Fact]
    public void The_threshold_is_configuration()
    {
        Assert.Equal(["a", "b"], Disclosure.SuppressedKeys([("a", 9), ("b", 12), ("c", 30)], 10).Order());
        Assert.Empty(Disclosure.SuppressedKeys([("a", 1), ("b", 2)], 1));
    }

    [Fact]
    public void The_distribution_by_the_window_s_last_day_is_the_continuity_rate()
    {
        var release = new LocalDate(2026, 9, 1);
        var journeys = new[]
        {
            new ContinuityFacts(release, release), new ContinuityFacts(release, release.PlusDays(21)),
            new ContinuityFacts(release, release.PlusDays(22)), new ContinuityFacts(release, release.PlusDays(40)),
            new ContinuityFacts(release), new ContinuityFacts(release, DiedOn: release.PlusDays(2)),
        };
        var today = new LocalDate(2026, 11, 23);
        var distribution = PickupDistribution.Of("all", journeys, today, ContinuityRules.Default);

        Assert.Equal(6, distribution.Released);
        Assert.Equal(5, distribution.Known);
        Assert.Equal(1, distribution.Days![0].PickedUp);
        Assert.Equal(2, distribution.Days[21].PickedUpByThen);
        Assert.Equal(
            ContinuityTally.Of(journeys.Select(j => ReleaseOutcomes.Classify(j, today, ContinuityRules.Default))).Rate,
            distribution.Days[21].ShareByThen);
        Assert.Equal(3, distribution.Days[28].PickedUpByThen);
        Assert.Equal(1, distribution.Later);
        Assert.Equal(1, distribution.Never);
    }
}
