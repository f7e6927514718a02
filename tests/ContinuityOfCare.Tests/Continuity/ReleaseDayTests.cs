using System.Text.Json;
using ContinuityOfCare.Continuity;
using NodaTime;

namespace ContinuityOfCare.Tests.Continuity;

/// <summary>
/// The England and Wales bank holiday data and the release-day rule: the file restated from the statutory rules and
/// the special days, every classifiable date checked against the rule's definition, and the years not covered.
/// </summary>
public class ReleaseDayTests
{
    private static readonly BankHolidays Holidays = BankHolidays.EnglandAndWales;

    [Fact]
    public void The_file_covers_every_year_in_use()
    {
        // The national indicator's series starts in 2015-16; the releases-due list looks up to 366 days ahead.
        var thisYear = LondonCalendar.Today(SystemClock.Instance).Year;
        Assert.True(Holidays.FirstYear <= 2015, $"the list starts in {Holidays.FirstYear}");
        Assert.True(
            Holidays.LastYear >= thisYear + 1,
            $"the list ends in {Holidays.LastYear}: add {thisYear + 1} from https://www.gov.uk/bank-holidays.json");
    }

    [Fact]
    public void The_file_documents_its_source_and_when_it_was_transcribed()
    {
        using var stream = typeof(BankHolidays).Assembly.GetManifestResourceStream(BankHolidays.Resource)!;
        var root = JsonDocument.Parse(stream).RootElement;
        Assert.Contains("https://www.gov.uk/bank-holidays.json", root.GetProperty("source").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", root.GetProperty("transcribed").GetString());
        Assert.Equal(
            "england-and-wales", root.GetProperty("england-and-wales").GetProperty("division").GetString());
    }

    /// <summary>Every year's dates, restated: the fixed rules with substitute days, then the one-off
    /// changes.</summary>
    [Fact]
    public void Every_year_holds_exactly_the_statutory_bank_holidays_and_the_special_ones()
    {
        for (var year = Holidays.FirstYear; year <= Holidays.LastYear; year++)
        {
            var expected = Statutory(year);
            var actual = Holidays.Dates.Where(d => d.Year == year).Order().ToList();
            Assert.True(expected.SequenceEqual(actual),
                $"{year}: expected {string.Join(", ", expected)}; the file has {string.Join(", ", actual)}");
        }
    }

    private static List<LocalDate> Statutory(int year)
    {
        var dates = new List<LocalDate> { Substitute(new LocalDate(year, 1, 1)) };
        var easter = Easter(year);
        dates.Add(easter.PlusDays(-2));
        dates.Add(easter.PlusDays(1));
        dates.Add(year == 2020 ? new LocalDate(2020, 5, 8) : FirstMonday(year, 5)); // VE day 75 moved it
        dates.Add(year == 2022 ? new LocalDate(2022, 6, 2) : LastMonday(year, 5)); // moved for the Platinum Jubilee
        dates.Add(LastMonday(year, 8));
        var christmas = new LocalDate(year, 12, 25);
        dates.AddRange(christmas.DayOfWeek switch
        {
            IsoDayOfWeek.Friday => [christmas, new LocalDate(year, 12, 28)],
            IsoDayOfWeek.Saturday => [new LocalDate(year, 12, 27), new LocalDate(year, 12, 28)],
            IsoDayOfWeek.Sunday => [new LocalDate(year, 12, 26), new LocalDate(year, 12, 27)],
            _ => [christmas, new LocalDate(year, 12, 26)],
        });
        dates.AddRange(year switch
        {
            2022 => [new LocalDate(2022, 6, 3), new LocalDate(2022, 9, 19)], // Platinum Jubilee; the Queen's funeral
            2023 => [new LocalDate(2023, 5, 8)], // the coronation of King Charles III
            _ => [],
        });
        return dates.Order().ToList();
    }

    private static LocalDate Substitute(LocalDate date) => date.DayOfWeek switch
    {
        IsoDayOfWeek.Saturday => date.PlusDays(2),
        IsoDayOfWeek.Sunday => date.PlusDays(1),
        _ => date,
    };

    /// <summary>Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).</summary>
    private static LocalDate Easter(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25;
        int g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
        return new LocalDate(year, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1);
    }

    private static LocalDate FirstMonday(int year, int month) =>
        new LocalDate(year, month, 1).With(DateAdjusters.NextOrSame(IsoDayOfWeek.Monday));

    private static LocalDate LastMonday(int year, int month) =>
        DateAdjusters.EndOfMonth(new LocalDate(year, month, 1)).With(
            DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));

    [Theory]
    [InlineData("2026-11-23", ReleaseDay.Weekday)] // Monday
    [InlineData("2026-11-26", ReleaseDay.Weekday)] // Thursday
    [InlineData("2026-11-27", ReleaseDay.Friday)]
    [InlineData("2026-11-28", ReleaseDay.Weekend)]
    [InlineData("2026-11-29", ReleaseDay.Weekend)]
    [InlineData("2026-04-02", ReleaseDay.BeforeBankHoliday)] // Thursday before Good Friday
    [InlineData("2026-04-03", ReleaseDay.BeforeBankHoliday)] // Good Friday itself
    [InlineData("2026-04-04", ReleaseDay.BeforeBankHoliday)] // Saturday before Easter Monday
    [InlineData("2026-04-07", ReleaseDay.Weekday)] // the Tuesday after
    [InlineData("2026-05-22", ReleaseDay.BeforeBankHoliday)] // Friday before the spring bank holiday
    [InlineData("2026-12-24", ReleaseDay.BeforeBankHoliday)]
    [InlineData("2026-12-29", ReleaseDay.Weekday)] // after the Boxing Day substitute (Monday 28th)
    [InlineData("2020-05-07", ReleaseDay.BeforeBankHoliday)] // Thursday before VE day's Friday
    [InlineData("2020-05-01", ReleaseDay.Friday)] // the first Monday of May 2020 was not a bank holiday
    [InlineData("2022-06-01", ReleaseDay.BeforeBankHoliday)] // before the Platinum Jubilee's Thursday and Friday
    [InlineData("2022-05-27", ReleaseDay.Friday)] // the last Monday of May 2022 was not a bank holiday
    [InlineData("2022-09-16", ReleaseDay.BeforeBankHoliday)] // Friday before the state funeral
    [InlineData("2023-05-05", ReleaseDay.BeforeBankHoliday)] // Friday before the coronation
    [InlineData("2016-12-23", ReleaseDay.BeforeBankHoliday)] // Christmas on a Sunday: Boxing Day and a substitute
    public void A_release_date_is_classified(string date, ReleaseDay expected) =>
        Assert.Equal(expected, ReleaseDays.Classify(NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value));

    /// <summary>Every date the list can classify, against the definition in DOMAIN.md read literally.</summary>
    [Fact]
    public void Every_classifiable_date_follows_the_definition()
    {
        var last = ReleaseDays.LastClassifiable(Holidays);
        var counts = new Dictionary<ReleaseDay, int>();
        for (var day = ReleaseDays.FirstClassifiable(Holidays); day <= last; day = day.PlusDays(1))
        {
            // The days from the release to the next working day (not a weekend, not a bank holiday), exclusive.
            var closed = new List<LocalDate> { day };
            for (var next = day.PlusDays(1); IsWeekend(next) || Holidays.Dates.Contains(next); next = next.PlusDays(1))
            {
                closed.Add(next);
            }

            var expected = closed.Any(Holidays.Dates.Contains) ? ReleaseDay.BeforeBankHoliday
                : IsWeekend(day) ? ReleaseDay.Weekend
                : day.DayOfWeek == IsoDayOfWeek.Friday ? ReleaseDay.Friday
                : ReleaseDay.Weekday;
            var actual = ReleaseDays.Classify(day);
            Assert.True(expected == actual, $"{day}: expected {expected}, got {actual}");
            Assert.Equal(actual, ReleaseDays.IfKnown(day));
            counts[actual] = counts.GetValueOrDefault(actual) + 1;
        }

        // Every value occurs, and most days are ordinary weekdays.
        Assert.Equal(4, counts.Count);
        Assert.True(counts[ReleaseDay.Weekday] > counts.Values.Sum() / 2);
    }

    [Fact]
    public void The_last_classifiable_date_is_the_last_whose_next_working_day_is_in_the_list()
    {
        // 2028-12-29 is a Friday: its next working day, Tuesday 2 January 2029, is in a year the list does not hold.
        Assert.Equal(new LocalDate(2028, 12, 28), ReleaseDays.LastClassifiable(Holidays));
    }

    [Theory]
    [InlineData("2014-12-31", 2014)]
    [InlineData("2029-03-01", 2029)]
    [InlineData("2028-12-29", 2029)] // the look-ahead runs into the next year
    public void A_date_in_a_year_not_covered_is_an_error_never_a_weekday(string date, int missing)
    {
        var release = NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value;
        var error = Assert.Throws<BankHolidaysNotCovered>(() => ReleaseDays.Classify(release));
        Assert.Equal(missing, error.Year);
        Assert.Contains($"bank holidays for {missing} are not in the service's data", error.Message);
        Assert.Contains("england-and-wales.json", error.Message);
        Assert.Null(ReleaseDays.IfKnown(release));
    }

    [Fact]
    public void The_breakdown_is_refused_for_periods_the_list_does_not_cover()
    {
        Assert.Null(ReleaseDays.Uncovered(new LocalDate(2015, 1, 1), new LocalDate(2028, 12, 28)));
        Assert.Contains(
            "2015-01-01 to 2028-12-28", ReleaseDays.Uncovered(new LocalDate(2014, 4, 1), new LocalDate(2015, 3, 31)));
        Assert.NotNull(ReleaseDays.Uncovered(new LocalDate(2028, 4, 1), new LocalDate(2029, 3, 31)));
    }

    [Fact]
    public void A_list_with_a_date_outside_its_years_is_refused() =>
        Assert.Throws<ArgumentException>(() => new BankHolidays(2020, 2020, [new LocalDate(2021, 1, 1)]));

    private static bool IsWeekend(LocalDate date) => date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
}
