using System.Globalization;
using ContinuityOfCare.Samples;
using NodaTime;

namespace ContinuityOfCare.Tests.Reference;

/// <summary>One released journey's facts as the reference sees them: straight from the generator's plan.</summary>
public sealed record KnownJourney(
    string Prison, string LocalAuthority, string Provider, string SubstanceGroup, string Sex, int? BirthYear,
    string ReleaseType, bool? NoFixedAbode, bool? Naloxone, bool? MetAtGate, LocalDate ReleasedOn,
    LocalDate? PickupOn, (ExitKind Kind, LocalDate On)? Exit, (LocalDate On, string Reason)? Ending,
    string? LapseReason);

public sealed record ReferenceRow(
    string Key, int Released, int Engaged, int EngagedLate, int NotEngaged, int Pending, int Died, int Deported,
    int ReturnedToCustody, bool Suppressed)
{
    public int Excluded => Died + Deported + ReturnedToCustody;

    public double? Rate =>
        Engaged + EngagedLate + NotEngaged == 0 ? null : (double)Engaged / (Engaged + EngagedLate + NotEngaged);
}

public sealed record LapseRow(
    string Key, int Released, int NotEngaged, IReadOnlyDictionary<string, int> Reasons, int NoReason, bool Suppressed);

/// <summary>
/// The figures DOMAIN.md defines, computed again in plain LINQ over the generated journeys' facts, without any of the
/// service's code: the rules are restated here from the document, so a mistake in the service's rules shows up as a
/// difference rather than being copied.
/// </summary>
public static class ReferenceFigures
{
    public const int Window = 21;
    public const int Horizon = 84;

    /// <summary>
    /// What had been recorded by the end of <paramref name="asOf"/>: steps are recorded on their RecordedOn day.
    /// </summary>
    public static IReadOnlyList<KnownJourney> KnownAt(IEnumerable<JourneyPlan> plans, LocalDate asOf) =>
        (from plan in plans
         where plan.Release is not null
         let recorded = plan.Steps.Where(s => s.RecordedOn <= asOf).Select(s => s.Action).ToHashSet()
         where recorded.Contains("release")
         let exitAction = plan.Exit?.Kind switch
         {
             ExitKind.Died => "death", ExitKind.Deported => "deportation", _ => "return-to-custody",
         }
         select new KnownJourney(
             plan.Prison,
             plan.Release!.LocalAuthority,
             recorded.Contains("handover-redirect") ? plan.RedirectedTo! : plan.Release.Provider,
             plan.SubstanceGroup,
             plan.Sex,
             plan.BirthYear,
             plan.Release.ReleaseType,
             plan.Release.NoFixedAbode,
             plan.Release.Naloxone,
             plan.Release.MetAtGate,
             recorded.Contains("corrections") ? plan.ReleaseCorrectedTo!.Value : plan.Release.ReleasedOn,
             recorded.Contains("community-treatment-start") ? plan.PickupOn : null,
             plan.Exit is { } exit && recorded.Contains(exitAction) ? exit : null,
             recorded.Contains("treatment-end") ? plan.Ending : null,
             plan.LapseReasons?.LastOrDefault(r => r.RecordedOn <= asOf).Reason)).ToList();

    public static string Outcome(KnownJourney j, LocalDate today)
    {
        var lastDay = j.ReleasedOn.PlusDays(Window);
        var pickup = j.PickupOn >= j.ReleasedOn ? j.PickupOn : null;
        if (
            j.Exit is { } exit && exit.On >= j.ReleasedOn && exit.On <= lastDay && (
                pickup is null || exit.On < pickup))
        {
            return exit.Kind.ToString();
        }

        return pickup is { } p ? (p <= lastDay ? "engaged" : "late") : today > lastDay ? "not-engaged" : "pending";
    }

    /// <summary>
    /// A journey's row of the audit export, restated: prison, release date, local authority, provider, the pickup
    /// (on or after the release) and its day, the outcome (exits as excluded with their reason), and the lapse
    /// reason while not engaged; fields joined by "|", empty for none.
    /// </summary>
    public static string AuditRow(KnownJourney j, LocalDate today)
    {
        var outcome = Outcome(j, today);
        var pickup = j.PickupOn >= j.ReleasedOn ? j.PickupOn : null;
        var (served, exclusion) = outcome switch
        {
            "late" => ("engaged-late", ""),
            nameof(ExitKind.Died) => ("excluded", "died"),
            nameof(ExitKind.Deported) => ("excluded", "deported"),
            nameof(ExitKind.ReturnedToCustody) => ("excluded", "returned-to-custody"),
            _ => (outcome, ""),
        };
        return string.Join("|",
            j.Prison, $"{j.ReleasedOn:uuuu-MM-dd}", j.LocalAuthority, j.Provider,
            pickup is { } p ? $"{p:uuuu-MM-dd}" : "", pickup is { } d ? $"{Period.DaysBetween(j.ReleasedOn, d)}" : "",
            served, exclusion, outcome == "not-engaged" ? j.LapseReason ?? "" : "");
    }

    public static string? Retention(KnownJourney j, LocalDate today)
    {
        if (Outcome(j, today) != "engaged")
        {
            return null;
        }

        var horizon = j.ReleasedOn.PlusDays(Horizon);
        if (j.Ending is { } ending && ending.On <= horizon)
        {
            return ending.Reason is "completed" or "transferred" ? "retained" : "not-retained";
        }

        if (j.Exit is { } exit && exit.On <= horizon)
        {
            return "not-retained";
        }

        return today > horizon ? "retained" : "pending";
    }

    /// <summary>The samples' prisons' regions, restated from the Ministry of Justice prison finder.</summary>
    private static readonly Dictionary<string, string> Regions = new()
    {
        ["LEI"] = "Yorkshire and The Humber", ["WDI"] = "Yorkshire and The Humber",
        ["HLI"] = "Yorkshire and The Humber",
        ["DMI"] = "North East", ["NMI"] = "East Midlands", ["BWI"] = "Wales",
    };

    public static string Key(string by, KnownJourney j) => by switch
    {
        "prison" => j.Prison,
        "localAuthority" => j.LocalAuthority,
        "provider" => j.Provider,
        "region" => Regions.GetValueOrDefault(j.Prison, "unknown"),
        "substanceGroup" => j.SubstanceGroup,
        "sex" => j.Sex,
        "ageBand" => (j.ReleasedOn.Year - j.BirthYear) switch
        {
            null => "unknown", < 18 => "under-18", < 25 => "18-24", < 35 => "25-34", < 45 => "35-44", < 55 => "45-54",
            < 65 => "55-64", _ => "65-plus",
        },
        "releaseType" => j.ReleaseType,
        "noFixedAbode" => YesNo(j.NoFixedAbode),
        "naloxone" => YesNo(j.Naloxone),
        "metAtGate" => YesNo(j.MetAtGate),
        "month" => $"{j.ReleasedOn.Year:D4}-{j.ReleasedOn.Month:D2}",
        "quarter" => $"{j.ReleasedOn.Year:D4}-Q{(j.ReleasedOn.Month - 1) / 3 + 1}",
        "financialYear" => FinancialYear(j.ReleasedOn.Month < 4 ? j.ReleasedOn.Year - 1 : j.ReleasedOn.Year),
        "releaseDay" => ReleaseDay(j.ReleasedOn),
        _ => throw new ArgumentException(by),
    };

    /// <summary>
    /// DOMAIN.md's release day, over the repository's bank holiday list read directly: before a bank holiday when one
    /// falls on any day from the release to the next working day; else weekend, Friday or weekday.
    /// </summary>
    public static string ReleaseDay(LocalDate releasedOn)
    {
        bool Weekend(LocalDate d) => d.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
        var closed = new List<LocalDate> { releasedOn };
        for (var d = releasedOn.PlusDays(1); Weekend(d) || BankHolidays.Contains(d); d = d.PlusDays(1))
        {
            closed.Add(d);
        }

        return closed.Any(BankHolidays.Contains) ? "before-bank-holiday"
            : Weekend(releasedOn) ? "weekend"
            : releasedOn.DayOfWeek == IsoDayOfWeek.Friday ? "friday"
            : "weekday";
    }

    private static readonly HashSet<LocalDate> BankHolidays = ReadBankHolidays();

    private static HashSet<LocalDate> ReadBankHolidays()
    {
        using var stream = typeof(ContinuityOfCare.Continuity.BankHolidays).Assembly
            .GetManifestResourceStream("bank-holidays-england-and-wales.json")!;
        return System.Text.Json.JsonDocument.Parse(stream).RootElement
            .GetProperty("england-and-wales").GetProperty("events").EnumerateArray()
            .Select(e => NodaTime.Text.LocalDatePattern.Iso.Parse(e.GetProperty("date").GetString()!).Value)
            .ToHashSet();
    }

    /// <summary>
    /// The table for releases in [from, to]: total first, then groups by key, with DOMAIN.md's suppression.
    /// </summary>
    public static (ReferenceRow Total, IReadOnlyList<ReferenceRow> Groups) Table(
        IReadOnlyList<KnownJourney> known,
        LocalDate from,
        LocalDate to,
        string? by,
        LocalDate today,
        int threshold = 5)
    {
        var cohort = known.Where(j => j.ReleasedOn >= from && j.ReleasedOn <= to).ToList();
        var total = Row("all", cohort, today);
        if (by is null)
        {
            return (Suppress(total, total.Released >= 1 && total.Released < threshold), []);
        }

        var groups = cohort.GroupBy(j => Key(by, j))
            .Select(g => Row(g.Key, g.ToList(), today))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        var small = Hidden(groups.Select(g => (g.Key, g.Released)).ToList(), threshold);
        return (
            Suppress(total, total.Released >= 1 && total.Released < threshold),
            groups.Select(g => Suppress(g, small.Contains(g.Key))).ToList());
    }

    /// <summary>DOMAIN.md's disclosure control: small groups, and the next smallest when only one is small.</summary>
    private static HashSet<string> Hidden(IReadOnlyList<(string Key, int Released)> groups, int threshold)
    {
        var small = groups.Where(g => g.Released >= 1 && g.Released < threshold).Select(g => g.Key).ToHashSet();
        if (small.Count == 1)
        {
            var next = groups.Where(g => !small.Contains(g.Key))
                .OrderBy(g => g.Released)
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .FirstOrDefault();
            if (next.Key is not null)
            {
                small.Add(next.Key);
            }
        }

        return small;
    }

    /// <summary>
    /// The table of reasons for releases in [from, to]: per group, the not engaged by the reason known for each (null:
    /// none recorded), with the same suppression as every table.
    /// </summary>
    public static (LapseRow Total, IReadOnlyList<LapseRow> Groups) LapseTable(
        IReadOnlyList<KnownJourney> known,
        LocalDate from,
        LocalDate to,
        string? by,
        LocalDate today,
        int threshold = 5)
    {
        var cohort = known.Where(j => j.ReleasedOn >= from && j.ReleasedOn <= to).ToList();
        LapseRow Lapse(string key, IReadOnlyList<KnownJourney> journeys, bool hidden)
        {
            var notEngaged = journeys.Where(j => Outcome(j, today) == "not-engaged").ToList();
            return new LapseRow(
                key, journeys.Count, notEngaged.Count,
                notEngaged.Where(j => j.LapseReason is not null).GroupBy(j => j.LapseReason!)
                    .ToDictionary(g => g.Key, g => g.Count()),
                notEngaged.Count(j => j.LapseReason is null), hidden);
        }

        var total = Lapse("all", cohort, cohort.Count >= 1 && cohort.Count < threshold);
        if (by is null)
        {
            return (total, []);
        }

        var groups = cohort.GroupBy(j => Key(by, j)).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var hidden = Hidden(groups.Select(g => (g.Key, g.Count())).ToList(), threshold);
        return (total, groups.Select(g => Lapse(g.Key, g.ToList(), hidden.Contains(g.Key))).ToList());
    }

    /// <summary>
    /// The product-limit estimate of the share picked up by each day 0..21, restated: everyone released and not
    /// excluded is seen up to the day of their pickup, or without one up to today; on each day the share still
    /// waiting falls by those picked up that day over those still waiting and seen that day.
    /// </summary>
    public static (int Pending, IReadOnlyList<(int Day, int AtRisk, int PickedUp, double Share)> Days) PickupEstimate(
        IReadOnlyList<KnownJourney> known, LocalDate today)
    {
        var seen = known
            .Select(j => (Journey: j, Outcome: Outcome(j, today)))
            .Where(j => j.Outcome is "engaged" or "late" or "not-engaged" or "pending")
            .Select(j => j.Journey.PickupOn is { } p && p >= j.Journey.ReleasedOn
                ? (Until: Period.DaysBetween(j.Journey.ReleasedOn, p), PickedUp: true)
                : (Until: Period.DaysBetween(j.Journey.ReleasedOn, today), PickedUp: false))
            .ToList();
        var waiting = 1.0;
        var days = new List<(int, int, int, double)>();
        for (var day = 0; day <= Window; day++)
        {
            var atRisk = seen.Count(s => s.Until >= day);
            var pickedUp = seen.Count(s => s.PickedUp && s.Until == day);
            waiting *= atRisk == 0 ? 1 : 1 - (double)pickedUp / atRisk;
            days.Add((day, atRisk, pickedUp, 1 - waiting));
        }

        return (known.Count(j => Outcome(j, today) == "pending"), days);
    }

    private static ReferenceRow Row(string key, IReadOnlyList<KnownJourney> journeys, LocalDate today)
    {
        var outcomes = journeys.Select(j => Outcome(j, today)).ToList();
        int Count(string outcome) => outcomes.Count(o => o == outcome);
        return new ReferenceRow(
            key, journeys.Count, Count("engaged"), Count("late"), Count("not-engaged"), Count("pending"),
            Count(nameof(ExitKind.Died)), Count(nameof(ExitKind.Deported)), Count(nameof(ExitKind.ReturnedToCustody)),
            Suppressed: false);
    }

    private static ReferenceRow Suppress(ReferenceRow row, bool suppressed) =>
        suppressed ? row with { Suppressed = true } : row;

    private static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => "not-recorded" };

    private static string FinancialYear(int start) =>
        string.Create(CultureInfo.InvariantCulture, $"{start:D4}-{(start + 1) % 100:D2}");
}
