using System.Collections.Frozen;
using System.Text.Json;
using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// When in the week a release fell, as a risk factor for pickup: services are closed on the days after a release on a
/// Friday, at a weekend or before a bank holiday. Written in the API as kebab-case (`before-bank-holiday`).
/// </summary>
public enum ReleaseDay
{
    /// <summary>Monday to Thursday, with the next day a working day.</summary>
    Weekday,

    Friday,

    /// <summary>Saturday or Sunday.</summary>
    Weekend,

    /// <summary>
    /// On a bank holiday, or with one before the next working day (the Thursday before Good Friday).
    /// </summary>
    BeforeBankHoliday,
}

/// <summary>
/// England and Wales bank holidays, read from the data file kept in the repository
/// (<c>Continuity/BankHolidays/england-and-wales.json</c>, in the shape of https://www.gov.uk/bank-holidays.json, with
/// the years it covers). A date in a year the file does not cover is an error, never a guess.
/// </summary>
public sealed class BankHolidays
{
    public const string Resource = "bank-holidays-england-and-wales.json";

    private readonly FrozenSet<LocalDate> _dates;

    public BankHolidays(int firstYear, int lastYear, IEnumerable<LocalDate> dates)
    {
        (FirstYear, LastYear) = (firstYear, lastYear);
        _dates = dates.ToFrozenSet();
        if (_dates.FirstOrDefault(d => d.Year < firstYear || d.Year > lastYear) is var outside && outside != default)
        {
            throw new ArgumentException($"{outside.Iso()} is outside the years covered, {firstYear} to {lastYear}");
        }
    }

    /// <summary>The repository's England and Wales list, read once.</summary>
    public static BankHolidays EnglandAndWales { get; } = Load();

    public int FirstYear { get; }

    public int LastYear { get; }

    public IReadOnlySet<LocalDate> Dates => _dates;

    public bool Covers(int year) => year >= FirstYear && year <= LastYear;

    /// <summary>Whether <paramref name="date"/> is a bank holiday; an error for a year not covered.</summary>
    public bool IsBankHoliday(LocalDate date) => Covers(date.Year)
        ? _dates.Contains(date)
        : throw new BankHolidaysNotCovered(date.Year, this);

    private static BankHolidays Load()
    {
        using var stream = typeof(BankHolidays).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The embedded resource {Resource} is missing");
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        var dates = root.GetProperty("england-and-wales").GetProperty("events").EnumerateArray()
            .Select(e => NodaTime.Text.LocalDatePattern.Iso.Parse(e.GetProperty("date").GetString()!).Value);
        return new BankHolidays(
            root.GetProperty("firstYear").GetInt32(), root.GetProperty("lastYear").GetInt32(), dates);
    }
}

/// <summary>A date needed bank holidays for a year the repository's list does not hold yet.</summary>
public sealed class BankHolidaysNotCovered(int year, BankHolidays holidays) : InvalidOperationException(
    $"England and Wales bank holidays for {year} are not in the service's data (it covers {holidays.FirstYear} to " +
    $"{holidays.LastYear}): add them to Continuity/BankHolidays/england-and-wales.json from " +
    "https://www.gov.uk/bank-holidays.json")
{
    public int Year { get; } = year;
}

public static class ReleaseDays
{
    /// <summary>
    /// Before a bank holiday when one falls on the release date or on any day from it to the next working day; else a
    /// weekend, a Friday, or a weekday. An error (<see cref="BankHolidaysNotCovered"/>) when the dates looked at run
    /// into a year the list does not cover.
    /// </summary>
    public static ReleaseDay Classify(LocalDate releasedOn, BankHolidays holidays)
    {
        var day = releasedOn;
        while (true)
        {
            if (holidays.IsBankHoliday(day))
            {
                return ReleaseDay.BeforeBankHoliday;
            }

            day = day.PlusDays(1);
            if (!IsWeekend(day) && !holidays.IsBankHoliday(day))
            {
                break; // the next working day
            }
        }

        return IsWeekend(releasedOn) ? ReleaseDay.Weekend
            : releasedOn.DayOfWeek == IsoDayOfWeek.Friday ? ReleaseDay.Friday
            : ReleaseDay.Weekday;
    }

    public static ReleaseDay Classify(LocalDate releasedOn) => Classify(releasedOn, BankHolidays.EnglandAndWales);

    /// <summary>
    /// For the worklists, whose planned dates may lie years ahead: the release day, or null when the list does not
    /// cover the dates it needs (shown as unknown, never as an ordinary weekday).
    /// </summary>
    public static ReleaseDay? IfKnown(LocalDate releasedOn) =>
        releasedOn >= Classifiable.First && releasedOn <= Classifiable.Last ? Classify(releasedOn) : null;

    /// <summary>The release dates the repository's list can classify.</summary>
    private static readonly (LocalDate First, LocalDate Last) Classifiable = (
        FirstClassifiable(BankHolidays.EnglandAndWales), LastClassifiable(BankHolidays.EnglandAndWales));

    /// <summary>The release dates that can be classified with the list: from its first year's start.</summary>
    public static LocalDate FirstClassifiable(BankHolidays holidays) => new(holidays.FirstYear, 1, 1);

    /// <summary>
    /// The last release date whose look-ahead to the next working day stays inside the list's years.
    /// </summary>
    public static LocalDate LastClassifiable(BankHolidays holidays)
    {
        var day = new LocalDate(holidays.LastYear, 12, 31);
        while (Next(day).Year > holidays.LastYear)
        {
            day = day.PlusDays(-1);
        }

        return day;

        LocalDate Next(LocalDate d)
        {
            // The last day Classify looks at: the next working day (a date past the list ends the look).
            do
            {
                d = d.PlusDays(1);
            }
            while (d.Year <= holidays.LastYear && (IsWeekend(d) || holidays.IsBankHoliday(d)));

            return d;
        }
    }

    /// <summary>Why releases in [from, to] cannot be grouped by release day (the list does not cover them).</summary>
    public static string? Uncovered(LocalDate from, LocalDate to)
    {
        var (first, last) = Classifiable;
        return from < first || to > last
            ? "releaseDay needs England and Wales bank holidays, which the service holds for releases from " +
              $"{first.Iso()} to {last.Iso()}: ask for a period within them"
            : null;
    }

    private static bool IsWeekend(LocalDate date) => date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
}
