using System.Globalization;
using NodaTime;

namespace ContinuityOfCare.Continuity;

public enum PeriodKind
{
    Month,
    Quarter,
    FinancialYear,
}

/// <summary>
/// Reporting periods of a release date: calendar month, calendar quarter, UK financial year (April to March).
/// </summary>
public static class Periods
{
    /// <summary>"2026-11", "2026-Q4", "2026-27".</summary>
    public static string Key(PeriodKind kind, LocalDate date) => kind switch
    {
        PeriodKind.Month => string.Create(CultureInfo.InvariantCulture, $"{date.Year:D4}-{date.Month:D2}"),
        PeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{date.Year:D4}-Q{(date.Month + 2) / 3}"),
        PeriodKind.FinancialYear => FinancialYearKey(date.Month >= 4 ? date.Year : date.Year - 1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static LocalDate Start(PeriodKind kind, LocalDate date) => kind switch
    {
        PeriodKind.Month => new LocalDate(date.Year, date.Month, 1),
        PeriodKind.Quarter => new LocalDate(date.Year, (date.Month - 1) / 3 * 3 + 1, 1),
        PeriodKind.FinancialYear => new LocalDate(date.Month >= 4 ? date.Year : date.Year - 1, 4, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Every period that [from, to] touches, in order, so empty periods show as zeros rather than vanish.
    /// </summary>
    public static IEnumerable<string> KeysBetween(PeriodKind kind, LocalDate from, LocalDate to)
    {
        var step = kind switch { PeriodKind.Month => 1, PeriodKind.Quarter => 3, _ => 12 };
        for (var start = Start(kind, from); start <= to; start = start.PlusMonths(step))
        {
            yield return Key(kind, start);
        }
    }

    private static string FinancialYearKey(int startYear) =>
        string.Create(CultureInfo.InvariantCulture, $"{startYear:D4}-{(startYear + 1) % 100:D2}");
}

/// <summary>
/// Age on release, from the birth year alone (the only part of a date of birth the service holds): the release year
/// minus the birth year, so it can be one year more than the exact age.
/// </summary>
public static class AgeBands
{
    public const string Unknown = "unknown";

    public static string Of(int? birthYear, LocalDate releasedOn) => (releasedOn.Year - birthYear) switch
    {
        null => Unknown,
        < 18 => "under-18",
        <= 24 => "18-24",
        <= 34 => "25-34",
        <= 44 => "35-44",
        <= 54 => "45-54",
        <= 64 => "55-64",
        _ => "65-plus",
    };
}
