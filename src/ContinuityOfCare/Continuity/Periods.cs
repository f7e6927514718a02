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

    /// <summary>The last date of the period that starts on <paramref name="start"/>.</summary>
    public static LocalDate End(PeriodKind kind, LocalDate start) => start.PlusMonths(Months(kind)).PlusDays(-1);

    /// <summary>
    /// The start of the <paramref name="kind"/> period a key names ("2026-11", "2026-Q4", "2026-27"): the inverse of
    /// <see cref="Key"/>. The kind is given because "2011-12" is both a month and a financial year.
    /// </summary>
    public static bool TryParse(PeriodKind kind, string? key, out LocalDate start)
    {
        start = default;
        if (key is not { Length: 7 }
            || !int.TryParse(key[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(key[^1..], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            return false;
        }

        var month = kind switch
        {
            PeriodKind.Month
                when int.TryParse(key[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var m) => m,
            PeriodKind.Quarter => last * 3 - 2,
            PeriodKind.FinancialYear => 4,
            _ => 0,
        };
        if (month is < 1 or > 12)
        {
            return false;
        }

        start = new LocalDate(year, month, 1);
        return Key(kind, start) == key;
    }

    public const string Malformed =
        "must be a financial year (2025-26), a quarter (2026-Q2) or a month (2026-11), optionally after its kind " +
        "(financial-year:, quarter:, month:)";

    /// <summary>The kinds as a period's name spells them out ("financial-year:2011-12").</summary>
    public static IReadOnlyDictionary<PeriodKind, string> KindNames { get; } = new Dictionary<PeriodKind, string>
    {
        [PeriodKind.FinancialYear] = "financial-year", [PeriodKind.Quarter] = "quarter", [PeriodKind.Month] = "month",
    };

    /// <summary>
    /// A named period, `period=` in analyst queries: "2025-26" (a financial year), "2026-Q2", "2026-11", or any of
    /// them after its kind ("month:2011-12"). "2000-01" to "2011-12" name both a month and a financial year, so
    /// those need the kind; the error says so rather than guessing.
    /// </summary>
    public static bool TryParseName(string? name, out PeriodKind kind, out LocalDate start, out string? error)
    {
        (kind, start, error) = (default, default, null);
        var parts = (name ?? "").Split(':', 2);
        if (parts.Length == 2)
        {
            if (KindNames.FirstOrDefault(k => k.Value == parts[0]) is { Value: not null } named
                && TryParse(named.Key, parts[1], out start))
            {
                kind = named.Key;
                return true;
            }
        }
        else
        {
            var kinds = Enum.GetValues<PeriodKind>()
                .Select(k => (Kind: k, Ok: TryParse(k, name, out var s), Start: s))
                .Where(k => k.Ok)
                .ToList();
            if (kinds.Count == 1)
            {
                (kind, start) = (kinds[0].Kind, kinds[0].Start);
                return true;
            }

            if (kinds.Count > 1)
            {
                error = $"'{name}' is both a month and a financial year: write month:{name} or financial-year:{name}";
                return false;
            }
        }

        error = Malformed;
        return false;
    }

    private static int Months(PeriodKind kind) =>
        kind switch { PeriodKind.Month => 1, PeriodKind.Quarter => 3, _ => 12 };

    /// <summary>
    /// Every period that [from, to] touches, in order, so empty periods show as zeros rather than vanish.
    /// </summary>
    public static IEnumerable<string> KeysBetween(PeriodKind kind, LocalDate from, LocalDate to)
    {
        for (var start = Start(kind, from); start <= to; start = start.PlusMonths(Months(kind)))
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
