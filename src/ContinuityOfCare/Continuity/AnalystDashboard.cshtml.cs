using System.Text;
using ContinuityOfCare.Access;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// The analyst dashboard: the API's three tables for one period, breakdown and "as of" date, drawn and tabulated.
/// Everything shown comes from the endpoints' own report functions over one read of the cohort; the page only chooses
/// the query (the period picker resolves to the API's from and to) and lays the answers out.
/// </summary>
[Authorize(Policy = Roles.Analyst)]
public sealed class AnalystDashboardModel(
    IQuerySession session, IClock clock, ContinuityRules rules, ContinuitySettings settings) : PageModel
{
    public const string Range = "range";

    /// <summary>The national ambition for continuity of care (a 75% pickup rate).</summary>
    public const double Ambition = 0.75;

    /// <summary>A period key as "financial-year:2025-26", "quarter:2026-Q3" or "month:2026-11", or "range".</summary>
    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? By { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? AsOf { get; set; }

    /// <summary>
    /// The date inputs' boxes ("from.Day", "from.Month", ...), which a person types in; the ISO parameters above are
    /// what links carry (a bookmark, the CSV download), as on the API. Boxes typed in win.
    /// </summary>
    [BindProperty(SupportsGet = true, Name = "from")]
    public DateParts FromBoxes { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "to")]
    public DateParts ToBoxes { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "asOf")]
    public DateParts AsOfBoxes { get; set; } = new();

    /// <summary>
    /// A second breakdown for the two-way table (its columns), as the API names it; none when empty.
    /// </summary>
    [BindProperty(SupportsGet = true)]
    public string? Across { get; set; }

    public LocalDate Today { get; private set; }

    public FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["period"] = ("period", "Period"),
        ["from"] = (DateField.DayBox("from"), "From"),
        ["to"] = (DateField.DayBox("to"), "To"),
        ["by"] = ("by", "Breakdown"),
        ["asOf"] = (DateField.DayBox("as-of"), "As of"),
        ["across"] = ("across", "Two-way table across"),
    });

    public DashboardFigures? Figures { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        Figures = await FiguresAsync(cancellation);
        return Page();
    }

    /// <summary>The figures shown, as one CSV file: what was asked, then each table as the API writes it.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellation)
    {
        if (await FiguresAsync(cancellation) is not { } figures)
        {
            return Page();
        }

        var query = figures.Query;
        var csv = new StringBuilder();
        foreach (var (name, value) in new (string, object?)[]
        {
            ("report", "Continuity of care: analyst figures"), ("from", query.From.Iso()), ("to", query.To.Iso()),
            ("by", query.ByName), ("asOf", query.AsOf.Iso()), ("final", figures.ByGroup.Final),
            ("retentionFinal", figures.Retention.Final),
            ("suppressionThreshold", query.SuppressionThreshold), ("windowDays", figures.ByGroup.WindowDays),
            ("retentionDays", figures.Retention.RetentionDays),
        })
        {
            csv.Append(name).Append(',').Append(AnalystCsv.Cell(value)).Append('\n');
        }

        Section(csv, "continuity by month", figures.Monthly);
        Section(csv, $"continuity by {query.ByName}", figures.ByGroup);
        Section(csv, "time to pickup", figures.Pickup);
        Section(csv, $"retention by {query.ByName}", figures.Retention);
        if (figures.Pickup.Total.Estimate is { } estimate)
        {
            csv.Append('\n').Append("table,").Append(AnalystCsv.Text(
                "time to pickup counting those still pending (Kaplan-Meier with a 95% Greenwood log-log band)"));
            csv.Append("\nday,atRisk,pickedUp,censored,share,lower,upper\n");
            foreach (var d in estimate.Days)
            {
                csv.AppendJoin(',',
                    new object?[] { d.Day, d.AtRisk, d.PickedUp, d.Censored, d.Share, d.Lower, d.Upper }
                        .Select(AnalystCsv.Cell)).Append('\n');
            }
        }

        if (figures.Cross is { Columns: { } columns, Cells: { } cells } cross)
        {
            csv.Append('\n').Append("table,").Append(AnalystCsv.Text($"continuity by {cross.By}")).Append('\n');
            TwoWayTable.AppendCsv(csv, cross.Total, cross.Groups, columns, cells);
        }
        Section(csv, $"lapse reasons by {query.ByName}", figures.LapseReasons);

        var fileName =
            $"continuity-{query.From.Iso()}-to-{query.To.Iso()}-by-{query.ByName}-as-of-{query.AsOf.Iso()}.csv";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
        return File(bytes, "text/csv; charset=utf-8", fileName);
    }

    /// <summary>The periods offered: this and the previous four financial years, 20 quarters and 24 months.</summary>
    public IEnumerable<(string Group, IReadOnlyList<(string Value, string Label)> Options)> PeriodChoices() =>
        PeriodChoicesOn(Today);

    /// <summary>The periods offered on <paramref name="today"/> (shared with the reconciliation page).</summary>
    public static IEnumerable<(string Group, IReadOnlyList<(string Value, string Label)> Options)> PeriodChoicesOn(
        LocalDate today)
    {
        var year = Periods.Start(PeriodKind.FinancialYear, today);
        var years = Enumerable.Range(0, 5).Select(i => year.PlusYears(-i)).ToList();
        yield return ("Financial years", years
            .Select(y => Choice(
                PeriodKind.FinancialYear, y, $"{Periods.Key(PeriodKind.FinancialYear, y)} (April to March)"))
            .ToList());
        var quarter = Periods.Start(PeriodKind.Quarter, today);
        yield return ("Quarters", Enumerable.Range(0, 20).Select(i => quarter.PlusMonths(-3 * i))
            .Select(q => Choice(
                PeriodKind.Quarter, q,
                $"{Periods.Key(PeriodKind.Quarter, q)} " +
                $"({Display.Date(q)} to {Display.Date(Periods.End(PeriodKind.Quarter, q))})"))
            .ToList());
        var month = Periods.Start(PeriodKind.Month, today);
        yield return ("Months", Enumerable.Range(0, 24).Select(i => month.PlusMonths(-i))
            .Select(m => Choice(
                PeriodKind.Month, m,
                m.ToString("MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))))
            .ToList());
    }

    /// <summary>The breakdowns, as the API names them (`by=`), in words.</summary>
    public static IReadOnlyList<(string Value, string Label)> Breakdowns { get; } =
    [
        ("prison", "Prison"), ("localAuthority", "Local authority"), ("provider", "Provider"),
        ("region", "Region (of the releasing prison)"),
        ("substanceGroup", "Substance group"), ("sex", "Sex"), ("ageBand", "Age band"),
        ("releaseType", "Release type"),
        ("noFixedAbode", "No fixed abode"), ("naloxone", "Naloxone supplied"), ("metAtGate", "Met at the gate"),
        ("month", "Month"), ("quarter", "Quarter"), ("financialYear", "Financial year"),
        ("releaseDay", "Release day"),
    ];

    public static string BreakdownLabel(string? by) => Breakdowns.FirstOrDefault(b => b.Value == by).Label ?? "";

    /// <summary>A group's heading: its key, and the organisation's name after it when the key is a code.</summary>
    public static string GroupLabel(string key, string? name) =>
        key == "all" ? "All" : name is null ? key : $"{key} – {name}";

    private async Task<DashboardFigures?> FiguresAsync(CancellationToken cancellation)
    {
        Today = LondonCalendar.Today(clock);
        (From, To, AsOf) = (FromBoxes.Iso ?? From, ToBoxes.Iso ?? To, AsOfBoxes.Iso ?? AsOf);
        var first = string.IsNullOrEmpty(Period) && string.IsNullOrEmpty(From) && string.IsNullOrEmpty(To);
        Period = first
            ? Key(PeriodKind.FinancialYear, Periods.Start(PeriodKind.FinancialYear, Today))
            : Period ?? Range;
        By = string.IsNullOrEmpty(By) ? "prison" : By;

        if (Period != Range)
        {
            if (!TryPeriod(Period, out var kind, out var start))
            {
                Errors.Add(new Http.ValidationErrors()
                    .Add("period", "must be one of the periods listed, or a range of dates"));
                return null;
            }

            (Period, From, To) = (Key(kind, start), start.Iso(), Periods.End(kind, start).Iso());
            (FromBoxes, ToBoxes) = (DateParts.Of(start), DateParts.Of(Periods.End(kind, start)));
        }

        var asked = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["from"] = From ?? "", ["to"] = To ?? "", ["by"] = By,
        };
        if (!string.IsNullOrEmpty(AsOf))
        {
            asked["asOf"] = AsOf;
        }

        var (query, errors) = AnalystQuery.Read(new QueryCollection(asked), Today);
        Dimension? across = null;
        if (!Breakdown.Names.ContainsKey(By))
        {
            errors.Add("by", "must be one of the breakdowns listed"); // one here: the second is chosen below
        }
        else if (!string.IsNullOrEmpty(Across))
        {
            if (Breakdown.Names.TryGetValue(Across, out var dimension) && Across != By)
            {
                across = dimension;
            }
            else
            {
                errors.Add("across", "must be one of the breakdowns listed, other than the first");
            }
        }

        if (query is null || errors.Any)
        {
            Errors.Add(errors);
            return null;
        }

        AsOf = query.AsOf.Iso();
        (FromBoxes, ToBoxes, AsOfBoxes) = (DateParts.Of(query.From), DateParts.Of(query.To), DateParts.Of(query.AsOf));
        query = query.SuppressedBy(settings) with
        {
            Organisations = await Organisations.OrganisationsEndpoint.CurrentAsync(session, cancellation),
        };
        // Each table from the cohort cells when they can answer it; the journeys are read once, if any cannot.
        IReadOnlyList<JourneyFacts>? cohort = null;
        async Task<T> TableAsync<T>(Task<T?> fromCells, Func<IReadOnlyList<JourneyFacts>, T> fromJourneys)
            where T : class =>
            await fromCells ?? fromJourneys(cohort ??= await query.CohortAsync(session, cancellation));

        var monthly = query with { By = Dimension.Month };
        var total = query with { By = null };
        var cross = query with { Across = across };
        return new DashboardFigures(
            query,
            await TableAsync(
                ContinuityRateEndpoint.FromCellsAsync(monthly, session, rules, cancellation),
                c => ContinuityRateEndpoint.Report(monthly, c, rules)),
            await TableAsync(
                ContinuityRateEndpoint.FromCellsAsync(query, session, rules, cancellation),
                c => ContinuityRateEndpoint.Report(query, c, rules)),
            await TableAsync(
                TimeToPickupEndpoint.FromCellsAsync(total, session, rules, cancellation),
                c => TimeToPickupEndpoint.Report(total, c, rules)),
            await TableAsync(
                RetentionEndpoint.FromCellsAsync(query, session, rules, cancellation),
                c => RetentionEndpoint.Report(query, c, rules)),
            rules)
        {
            Cross = across is null
                ? null
                : await TableAsync(
                    ContinuityRateEndpoint.FromCellsAsync(cross, session, rules, cancellation),
                    c => ContinuityRateEndpoint.Report(cross, c, rules)),
            LapseReasons = await TableAsync(
                LapseReasonsEndpoint.FromCellsAsync(query, session, rules, cancellation),
                c => LapseReasonsEndpoint.Report(query, c, rules)),
        };
    }

    private static void Section<TRow>(StringBuilder csv, string title, IAnalystReport<TRow> report)
        where TRow : ICsvRow
    {
        csv.Append('\n').Append("table,").Append(AnalystCsv.Text(title)).Append('\n');
        AnalystCsv.Append(csv, report.Total, report.Groups);
    }

    private static (string, string) Choice(PeriodKind kind, LocalDate start, string label) =>
        (Key(kind, start), label);

    private static string Key(PeriodKind kind, LocalDate start) =>
        $"{Periods.KindNames[kind]}:{Periods.Key(kind, start)}";

    /// <summary>The API's period names: the picker's "month:2026-11", or a shorthand typed in the address.</summary>
    private static bool TryPeriod(string value, out PeriodKind kind, out LocalDate start) =>
        Periods.TryParseName(value, out kind, out start, out _);
}

/// <summary>What the dashboard shows: the API's reports for the query, monthly and by the chosen breakdown.</summary>
public sealed record DashboardFigures(
    AnalystQuery Query,
    ContinuityReport Monthly,
    ContinuityReport ByGroup,
    PickupDistributionReport Pickup,
    RetentionReport Retention,
    ContinuityRules Rules)
{
    /// <summary>The continuity rate by the breakdown and a second one across, when one is chosen.</summary>
    public ContinuityReport? Cross { get; init; }
    /// <summary>Why windows lapsed, by the chosen breakdown.</summary>
    public required LapseReasonReport LapseReasons { get; init; }

    /// <summary>
    /// A month's figures are final once the window of its last release date (within the period) has closed.
    /// </summary>
    public bool IsFinal(string monthKey) =>
        Periods.TryParse(PeriodKind.Month, monthKey, out var start)
        && ContinuityRateEndpoint.IsFinal(Min(Periods.End(PeriodKind.Month, start), Query.To), Query.AsOf, Rules);

    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;
}
