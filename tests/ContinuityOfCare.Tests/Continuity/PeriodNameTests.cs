using ContinuityOfCare.Continuity;

namespace ContinuityOfCare.Tests.Continuity;

/// <summary>`period=` in analyst queries: a named period instead of from and to.</summary>
public sealed class PeriodNameTests
{
    [Theory]
    [InlineData("2025-26", "2025-04-01", "2026-03-31")]
    [InlineData("2026-Q2", "2026-04-01", "2026-06-30")]
    [InlineData("2026-11", "2026-11-01", "2026-11-30")]
    [InlineData("2099-00", "2099-04-01", "2100-03-31")]
    [InlineData("financial-year:2011-12", "2011-04-01", "2012-03-31")]
    [InlineData("month:2011-12", "2011-12-01", "2011-12-31")]
    [InlineData("quarter:2026-Q4", "2026-10-01", "2026-12-31")]
    [InlineData("month:2026-02", "2026-02-01", "2026-02-28")]
    public void A_name_gives_the_period_s_first_and_last_dates(string name, string first, string last)
    {
        Assert.True(Periods.TryParseName(name, out var kind, out var start, out var error), error);
        Assert.Equal(first, start.Iso());
        Assert.Equal(last, Periods.End(kind, start).Iso());
    }

    [Fact]
    public void Every_month_quarter_and_year_from_2000_reads_back_from_its_own_key()
    {
        for (var date = new NodaTime.LocalDate(2000, 1, 1); date.Year < 2040; date = date.PlusMonths(1))
        {
            foreach (var kind in Enum.GetValues<PeriodKind>())
            {
                var key = Periods.Key(kind, date);
                var named = $"{Periods.KindNames[kind]}:{key}";
                Assert.True(Periods.TryParseName(named, out var parsedKind, out var start, out _), named);
                Assert.Equal((kind, Periods.Start(kind, date)), (parsedKind, start));
                if (Periods.TryParseName(key, out parsedKind, out start, out var error))
                {
                    Assert.Equal((kind, Periods.Start(kind, date)), (parsedKind, start));
                }
                else
                {
                    // Only the keys that are both a month and a financial year (2000-01 to 2011-12) need the kind.
                    Assert.Contains("both a month and a financial year", error);
                    Assert.True(date.Year <= 2012, key);
                }
            }
        }
    }

    [Theory]
    [InlineData("2011-12")]
    [InlineData("2000-01")]
    public void A_name_that_is_both_a_month_and_a_financial_year_must_say_which(string name)
    {
        Assert.False(Periods.TryParseName(name, out _, out _, out var error));
        Assert.Equal(
            $"'{name}' is both a month and a financial year: write month:{name} or financial-year:{name}", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026")]
    [InlineData("2026-13")]
    [InlineData("2026-Q5")]
    [InlineData("2025-27")]
    [InlineData("2026-11-01")]
    [InlineData("week:2026-11")]
    [InlineData("month:2026-Q1")]
    [InlineData("financial-year:")]
    public void Anything_else_is_refused_with_the_forms_it_takes(string name)
    {
        Assert.False(Periods.TryParseName(name, out _, out _, out var error));
        Assert.Equal(Periods.Malformed, error);
    }
}
