using ContinuityOfCare.Continuity;
using NodaTime;

namespace ContinuityOfCare.Tests.Continuity;

/// <summary>The dashboard's period picker reads the API's own period keys back into dates.</summary>
public sealed class PeriodKeyTests
{
    [Theory]
    [InlineData(PeriodKind.Month, "2026-11", "2026-11-01", "2026-11-30")]
    [InlineData(PeriodKind.Month, "2024-02", "2024-02-01", "2024-02-29")]
    [InlineData(PeriodKind.Quarter, "2026-Q4", "2026-10-01", "2026-12-31")]
    [InlineData(PeriodKind.Quarter, "2026-Q1", "2026-01-01", "2026-03-31")]
    [InlineData(PeriodKind.FinancialYear, "2025-26", "2025-04-01", "2026-03-31")]
    [InlineData(PeriodKind.FinancialYear, "2011-12", "2011-04-01", "2012-03-31")]
    [InlineData(PeriodKind.Month, "2011-12", "2011-12-01", "2011-12-31")]
    public void A_key_names_its_first_and_last_dates(PeriodKind kind, string key, string first, string last)
    {
        Assert.True(Periods.TryParse(kind, key, out var start));
        Assert.Equal(first, start.Iso());
        Assert.Equal(last, Periods.End(kind, start).Iso());
    }

    [Theory]
    [InlineData(PeriodKind.Month, "2026-13")]
    [InlineData(PeriodKind.Month, "2026-00")]
    [InlineData(PeriodKind.Month, "2026-1")]
    [InlineData(PeriodKind.Quarter, "2026-Q5")]
    [InlineData(PeriodKind.Quarter, "2026-11")]
    [InlineData(PeriodKind.FinancialYear, "2025-27")]
    [InlineData(PeriodKind.FinancialYear, "2025-2x")]
    [InlineData(PeriodKind.Month, "")]
    [InlineData(PeriodKind.Month, null)]
    [InlineData(PeriodKind.Month, "+026-11")]
    public void Anything_else_is_no_period(PeriodKind kind, string? key) =>
        Assert.False(Periods.TryParse(kind, key, out _));

    [Fact]
    public void Every_key_reads_back_to_its_period()
    {
        for (var date = new LocalDate(2000, 1, 1); date.Year < 2031; date = date.PlusDays(11))
        {
            foreach (var kind in Enum.GetValues<PeriodKind>())
            {
                Assert.True(Periods.TryParse(kind, Periods.Key(kind, date), out var start));
                Assert.Equal(Periods.Start(kind, date), start);
            }
        }
    }
}
